//! What a carrier does for a return: create a shipment with its label, and cancel it.

use super::{render_label, LabelError, LabelFormat, LabelRequest};

/// A carrier that books return shipments.
///
/// Synchronous, because the built-in carrier only computes (call it from `spawn_blocking` in
/// async code). A carrier behind a network API would be wrapped in `tokio::task::spawn_blocking`
/// too, or this trait would become async when the first such carrier arrives.
pub trait Carrier {
    fn create(&self, request: &LabelRequest, format: LabelFormat)
        -> Result<Shipment, CarrierError>;
    fn cancel(&self, tracking_number: &str) -> Result<(), CarrierError>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipment {
    /// Stable identifier of the carrier, stored with the return, e.g. "built-in".
    pub carrier: &'static str,
    pub tracking_number: String,
    pub label_pdf: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CarrierError {
    #[error("the label could not be made: {0}")]
    Label(#[from] LabelError),
    /// The carrier answered and said no (address it does not serve, shipment already collected, ...):
    /// trying again will not help.
    #[error("the carrier refused: {reason}")]
    Refused { reason: String },
    /// The carrier could not be reached or failed: trying again later may help.
    #[error("the carrier is unavailable")]
    Unavailable,
}

/// The label made by [`render_label`], with no carrier system behind it. The tracking number is
/// the return's reference; nothing is booked, so cancelling has nothing to undo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuiltInCarrier;

impl BuiltInCarrier {
    pub const ID: &'static str = "built-in";
}

impl Carrier for BuiltInCarrier {
    fn create(
        &self,
        request: &LabelRequest,
        format: LabelFormat,
    ) -> Result<Shipment, CarrierError> {
        let label_pdf = render_label(request, format)?;
        Ok(Shipment {
            carrier: Self::ID,
            tracking_number: request.reference.clone(),
            label_pdf,
        })
    }

    fn cancel(&self, _tracking_number: &str) -> Result<(), CarrierError> {
        Ok(())
    }
}
