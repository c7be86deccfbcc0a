//! The merchant back-office: data shapes shared by its pages and server functions.

pub mod dto;
