//! MTN MoMo Disbursements (being written).
