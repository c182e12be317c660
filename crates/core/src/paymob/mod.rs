//! Paymob instant payouts (being written).
