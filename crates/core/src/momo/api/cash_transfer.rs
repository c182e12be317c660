//! A cash transfer's sender details, as MTN's Remittance export lists them (the client's
//! and the sandbox's checks read them here).

/// The values of `payerIdentificationType`.
pub const PAYER_ID_TYPES: [&str; 10] = [
    "PASS", "CPFA", "SRSSA", "NRIN", "OTHR", "DRLC", "SOCS", "AREG", "IDCD", "EMID",
];

/// The sender's free-text fields, each optional.
pub const PAYER_TEXTS: [&str; 7] = [
    "payerIdentificationNumber",
    "payerIdentity",
    "payerFirstName",
    "payerSurName",
    "payerLanguageCode",
    "payerEmail",
    "payerGender",
];
