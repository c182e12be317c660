//! The `bank_code` values Paymob accepts for `issuer: "bank_card"` (its portal's
//! `VALID_BANK_CODES_LIST`, 2023). `instant_bank` uses a different, unpublished list.

pub const BANK_CARD_CODES: [&str; 40] = [
    "AUB", "MIDB", "BDC", "HSBC", "CAE", "EGB", "UB", "QNB", "ARAB", "ENBD", "ABK", "NBK", "ABC",
    "FAB", "ADIB", "CIB", "HDB", "MISR", "AAIB", "EALB", "EDBE", "FAIB", "BLOM", "ADCB", "BOA",
    "SAIB", "NBE", "ABRK", "POST", "NSB", "IDB", "SCB", "MASH", "AIB", "GASC", "ARIB", "PDAC",
    "NBG", "CBE", "BBE",
];

/// Whether `code` (already upper-cased) is a known bank_card bank code.
pub fn is_bank_card_code(code: &str) -> bool {
    BANK_CARD_CODES.contains(&code)
}

/// The bank transaction types of `issuer: "bank_card"`.
pub const BANK_TRANSACTION_TYPES: [&str; 4] =
    ["salary", "credit_card", "prepaid_card", "cash_transfer"];
