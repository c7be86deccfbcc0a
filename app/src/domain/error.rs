use serde::{Deserialize, Serialize};

use super::status::{ReturnEvent, ReturnStatus};

/// Everything the domain can refuse. Each variant has one translation key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum DomainError {
    #[error("{event:?} is not allowed while the return is {from:?}")]
    InvalidTransition {
        from: ReturnStatus,
        event: ReturnEvent,
    },
    #[error("the order number is empty or too long")]
    OrderNumberInvalid,
    #[error("the email address is not valid")]
    EmailInvalid,
    #[error("no item was selected")]
    NothingSelected,
    #[error("the same order line was selected twice")]
    DuplicateLine,
    #[error("an item does not belong to this order")]
    UnknownLine,
    #[error("this item cannot be returned")]
    LineNotReturnable,
    #[error("more units were selected than can be returned")]
    QuantityTooHigh,
    #[error("a quantity must be at least one")]
    QuantityZero,
    #[error("the reason is not one the shop offers")]
    UnknownReason,
    #[error("this reason needs a comment")]
    CommentRequired,
    #[error("the comment is longer than 500 characters")]
    CommentTooLong,
    #[error("this reason needs a photo")]
    PhotoRequired,
    #[error("the shop does not offer this resolution")]
    ResolutionNotOffered,
    #[error("the shop does not offer this way of sending items back")]
    ReturnMethodNotOffered,
    #[error("amounts in different currencies cannot be combined")]
    CurrencyMismatch,
    #[error("not a return reference")]
    ReferenceInvalid,
    #[error("a rejection needs an explanation for the shopper")]
    ExplanationRequired,
    #[error("the text is longer than 2000 characters")]
    NoteTooLong,
    #[error("a note cannot be empty")]
    NoteEmpty,
    #[error("a changed amount needs a reason")]
    AdjustmentReasonRequired,
    #[error("the amount must be between zero and what was paid for the returned items")]
    AmountOutOfRange,
    #[error("an exchange needs the replacement item")]
    ReplacementRequired,
    #[error("every item of the return must be recorded")]
    ReceiptIncomplete,
    #[error("the shop name is empty or longer than 80 characters")]
    ShopNameInvalid,
    #[error("the languages must include the default language")]
    LanguagesInvalid,
    #[error("the return window must be between 1 and 365 days")]
    ReturnWindowOutOfRange,
    #[error("there must be between 1 and 30 reasons")]
    ReasonsInvalid,
    #[error("a reason code uses only lowercase letters, digits and underscores")]
    ReasonCodeInvalid,
    #[error("two reasons have the same code")]
    ReasonCodeDuplicate,
    #[error("a reason needs an English label of at most 80 characters")]
    ReasonLabelInvalid,
    #[error("at least one resolution must be offered")]
    ResolutionsEmpty,
    #[error("at least one way of sending items back must be offered")]
    MethodsEmpty,
    #[error("the return policy is longer than 5000 characters")]
    PolicyTooLong,
    #[error("the logo must be an https address")]
    LogoUrlInvalid,
    #[error("the accent colour must be written #rrggbb")]
    AccentColourInvalid,
    #[error("the accent colour is too light for readable text")]
    AccentColourLowContrast,
    #[error("the corner radius must be between 0 and 24 pixels")]
    CornerRadiusOutOfRange,
    #[error("an embedding origin is not a plain https origin")]
    OriginInvalid,
    #[error("the return address needs a street line, a city and a two-letter country code")]
    ReturnAddressInvalid,
    #[error("a return label needs the shop's return address (settings)")]
    NoReturnAddress,
    #[error("a return fee must be between 0.01 and 1,000")]
    FeeInvalid,
    #[error("the fee can be kept out of the refund only when the shop allows it and the shopper chose a refund")]
    FeeDeductionNotOffered,
    #[error("the withdrawal period must be between 14 and 365 days")]
    WithdrawalPeriodOutOfRange,
    #[error("photos and comments must be kept between 1 and 3650 days")]
    RetentionOutOfRange,
    #[error("the privacy contact is one line of at most 254 characters")]
    PrivacyContactInvalid,
}

impl DomainError {
    /// The key of the message shown to people (see `i18n`).
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::InvalidTransition { .. } => "error.invalid_transition",
            Self::OrderNumberInvalid => "error.order_number_invalid",
            Self::EmailInvalid => "error.email_invalid",
            Self::NothingSelected => "error.nothing_selected",
            Self::DuplicateLine => "error.duplicate_line",
            Self::UnknownLine => "error.unknown_line",
            Self::LineNotReturnable => "error.line_not_returnable",
            Self::QuantityTooHigh => "error.quantity_too_high",
            Self::QuantityZero => "error.quantity_zero",
            Self::UnknownReason => "error.unknown_reason",
            Self::CommentRequired => "error.comment_required",
            Self::CommentTooLong => "error.comment_too_long",
            Self::PhotoRequired => "error.photo_required",
            Self::ResolutionNotOffered => "error.resolution_not_offered",
            Self::ReturnMethodNotOffered => "error.return_method_not_offered",
            Self::CurrencyMismatch => "error.currency_mismatch",
            Self::ReferenceInvalid => "error.reference_invalid",
            Self::ExplanationRequired => "error.explanation_required",
            Self::NoteTooLong => "error.note_too_long",
            Self::NoteEmpty => "error.note_empty",
            Self::AdjustmentReasonRequired => "error.adjustment_reason_required",
            Self::AmountOutOfRange => "error.amount_out_of_range",
            Self::ReplacementRequired => "error.replacement_required",
            Self::ReceiptIncomplete => "error.receipt_incomplete",
            Self::ShopNameInvalid => "error.shop_name_invalid",
            Self::LanguagesInvalid => "error.languages_invalid",
            Self::ReturnWindowOutOfRange => "error.return_window_out_of_range",
            Self::ReasonsInvalid => "error.reasons_invalid",
            Self::ReasonCodeInvalid => "error.reason_code_invalid",
            Self::ReasonCodeDuplicate => "error.reason_code_duplicate",
            Self::ReasonLabelInvalid => "error.reason_label_invalid",
            Self::ResolutionsEmpty => "error.resolutions_empty",
            Self::MethodsEmpty => "error.methods_empty",
            Self::PolicyTooLong => "error.policy_too_long",
            Self::LogoUrlInvalid => "error.logo_url_invalid",
            Self::AccentColourInvalid => "error.accent_colour_invalid",
            Self::AccentColourLowContrast => "error.accent_colour_low_contrast",
            Self::CornerRadiusOutOfRange => "error.corner_radius_out_of_range",
            Self::OriginInvalid => "error.origin_invalid",
            Self::ReturnAddressInvalid => "error.return_address_invalid",
            Self::NoReturnAddress => "error.no_return_address",
            Self::FeeInvalid => "error.fee_invalid",
            Self::FeeDeductionNotOffered => "error.fee_deduction_not_offered",
            Self::WithdrawalPeriodOutOfRange => "error.withdrawal_period_out_of_range",
            Self::RetentionOutOfRange => "error.retention_out_of_range",
            Self::PrivacyContactInvalid => "error.privacy_contact_invalid",
        }
    }
}
