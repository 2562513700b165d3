//! The rules of the labour-migration quota, as pure Rust with no I/O (SPEC §2).
//!
//! Every value that crosses the HTTP boundary is parsed into one of these types
//! ("parse, don't validate"), so an invalid TIN, occupation code or headcount
//! cannot exist past the boundary. The rules cite their source: the SMS
//! guideline (seed 000), the Azerbaijani notice (seed 001), the Highly
//! Qualified Migrant rules (seed 002, module [`hqm`]), or SPEC sections.

pub mod campaign;
pub mod code;
pub mod commission_inputs;
pub mod contact;
pub mod error;
pub mod filing;
pub mod forecast;
pub mod hqm;
pub mod lang;
pub mod lifecycle;
pub mod messages;
pub mod occupation;
pub mod policy;
pub mod quota;
pub mod reference;
pub mod role;
pub mod status;
pub mod text;
pub mod time;
pub mod tin;
pub mod value;
pub mod webhook;

pub use code::Code;
pub use error::{FieldCode, FieldError, ValidationErrors};
pub use lang::Lang;
