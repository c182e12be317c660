//! MTN MoMo markets: the `X-Target-Environment` names MTN gives its production markets
//! (MTN developer community, "target environment for production"), each
//! with its country. A market's currency is the country's ISO 4217 currency (from
//! `iso_currency`) and its MSISDNs are numbers of the country's ITU calling code that the
//! country's numbering plan accepts (from `phonenumber`, libphonenumber's metadata): no
//! table of currencies or calling codes is typed here.

use std::fmt;

use iso_currency::{Country, Currency};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One target environment: MTN's sandbox, or a production market.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Market {
    target: &'static str,
    /// `None` for the sandbox, which has no country.
    country: Option<Country>,
}

const fn market(target: &'static str, country: Country) -> Market {
    Market {
        target,
        country: Some(country),
    }
}

/// MTN's sandbox: EUR and its test numbers.
pub const SANDBOX: Market = Market {
    target: "sandbox",
    country: None,
};

/// The sandbox and every production market of the reference's list, in its order.
pub const MARKETS: [Market; 12] = [
    SANDBOX,
    market("mtnuganda", Country::UG),
    market("mtnghana", Country::GH),
    market("mtnivorycoast", Country::CI),
    market("mtnzambia", Country::ZM),
    market("mtncameroon", Country::CM),
    market("mtnbenin", Country::BJ),
    // MTN Congo is in the Republic of the Congo (Brazzaville).
    market("mtncongo", Country::CG),
    market("mtnswaziland", Country::SZ),
    market("mtnguineaconakry", Country::GN),
    market("mtnsouthafrica", Country::ZA),
    market("mtnliberia", Country::LR),
];

impl Market {
    /// The market of a target environment name (case-insensitive, as MTN's gateway).
    pub fn named(name: &str) -> Option<Market> {
        MARKETS
            .into_iter()
            .find(|m| m.target.eq_ignore_ascii_case(name.trim()))
    }

    /// Its `X-Target-Environment` value.
    pub fn target(&self) -> &'static str {
        self.target
    }

    /// The ISO 3166 alpha-2 code of its country (`None` for the sandbox).
    pub fn country(&self) -> Option<String> {
        self.country.map(|c| c.to_string())
    }

    /// The one currency it accepts: EUR in the sandbox, the country's own currency in a
    /// market (its regular ISO 4217 currency: not a fund, not superseded).
    pub fn currency(&self) -> &'static str {
        self.country.map_or(Currency::EUR, Currency::from).code()
    }

    /// The ITU calling code of its numbers (`None` for the sandbox, which takes any).
    pub fn calling_code(&self) -> Option<u16> {
        let region = self.country()?;
        phonenumber::metadata::DATABASE
            .by_id(region.as_str())
            .map(|m| m.country_code())
    }

    /// The English name of its country (`None` for the sandbox).
    pub fn country_name(&self) -> Option<&'static str> {
        self.country.map(|c| c.name())
    }

    /// A mobile number of the market in MTN's form: libphonenumber's example mobile
    /// number of the country, or the sandbox's first test number.
    pub fn example_msisdn(&self) -> Option<String> {
        let Some(region) = self.country() else {
            return Some("46733123450".to_owned());
        };
        let meta = phonenumber::metadata::DATABASE.by_id(region.as_str())?;
        let example = meta.descriptors().mobile()?.example()?;
        Some(format!("{}{example}", meta.country_code()))
    }

    /// Whether `msisdn` (digits, international form without `+`) can be a subscriber of
    /// this market: a valid number of its country. MTN's sandbox takes any number.
    pub fn accepts_msisdn(&self, msisdn: &str) -> bool {
        let Some(region) = self.country() else {
            return true;
        };
        if msisdn.is_empty() || !msisdn.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        match phonenumber::parse(None, format!("+{msisdn}")) {
            Ok(n) => {
                phonenumber::is_valid(&n)
                    && n.country().id().is_some_and(|id| id.as_ref() == region)
            }
            Err(_) => false,
        }
    }
}

impl fmt::Display for Market {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.target)
    }
}

/// The markets a sandbox answers as: one name or a list (`Sandbox.start({ market })`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markets(Vec<Market>);

impl Default for Markets {
    fn default() -> Self {
        Markets(vec![SANDBOX])
    }
}

impl Markets {
    /// Parse names: each must be a known target environment, and there is at least one.
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<Markets, String> {
        let mut out: Vec<Market> = Vec::new();
        for name in names {
            let name = name.as_ref();
            let market = Market::named(name).ok_or_else(|| {
                let known: Vec<&str> = MARKETS.iter().map(Market::target).collect();
                format!(
                    "unknown market \"{name}\": the markets are {}",
                    known.join(", ")
                )
            })?;
            if !out.contains(&market) {
                out.push(market);
            }
        }
        if out.is_empty() {
            return Err("market must name at least one target environment".into());
        }
        Ok(Markets(out))
    }

    /// The market whose target environment `name` is, if this sandbox answers as it.
    pub fn find(&self, name: &str) -> Option<Market> {
        Market::named(name).filter(|m| self.0.contains(m))
    }

    /// The first market named (whose currency the control API reports).
    pub fn primary(&self) -> Market {
        self.0.first().copied().unwrap_or(SANDBOX)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Market> {
        self.0.iter()
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for Markets {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names = match OneOrMany::deserialize(d)? {
            OneOrMany::One(name) => vec![name],
            OneOrMany::Many(names) => names,
        };
        Markets::parse(&names).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Markets {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(Market::target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_market_has_its_countrys_currency_and_calling_code() {
        let facts: Vec<(&str, &str, Option<u16>)> = MARKETS
            .iter()
            .map(|m| (m.target(), m.currency(), m.calling_code()))
            .collect();
        assert_eq!(
            facts,
            vec![
                ("sandbox", "EUR", None),
                ("mtnuganda", "UGX", Some(256)),
                ("mtnghana", "GHS", Some(233)),
                ("mtnivorycoast", "XOF", Some(225)),
                ("mtnzambia", "ZMW", Some(260)),
                ("mtncameroon", "XAF", Some(237)),
                ("mtnbenin", "XOF", Some(229)),
                ("mtncongo", "XAF", Some(242)),
                ("mtnswaziland", "SZL", Some(268)),
                ("mtnguineaconakry", "GNF", Some(224)),
                ("mtnsouthafrica", "ZAR", Some(27)),
                ("mtnliberia", "LRD", Some(231)),
            ]
        );
    }

    #[test]
    fn every_market_takes_its_own_example_number() {
        for m in MARKETS {
            let example = m.example_msisdn().unwrap();
            assert!(m.accepts_msisdn(&example), "{m}: {example}");
        }
    }

    #[test]
    fn a_market_takes_its_own_numbers_only() {
        let ghana = Market::named("MTNGhana").unwrap();
        assert!(ghana.accepts_msisdn("233241234567"));
        assert!(!ghana.accepts_msisdn("0241234567"));
        assert!(!ghana.accepts_msisdn("46733123450"));
        assert!(!ghana.accepts_msisdn("256771234567"));
        assert!(!ghana.accepts_msisdn("2332412"));
        assert!(!ghana.accepts_msisdn("+233241234567"));
        // The sandbox, as MTN's, takes any party id.
        assert!(SANDBOX.accepts_msisdn("46733123450"));
        assert!(SANDBOX.accepts_msisdn("1"));
    }

    #[test]
    fn markets_parse_from_one_name_or_a_list() {
        let one: Markets = serde_json::from_str(r#""mtnghana""#).unwrap();
        assert_eq!(one.primary().target(), "mtnghana");
        let two: Markets = serde_json::from_str(r#"["sandbox","mtnuganda","sandbox"]"#).unwrap();
        assert_eq!(
            serde_json::to_string(&two).unwrap(),
            r#"["sandbox","mtnuganda"]"#
        );
        assert!(two.find("MTNUGANDA").is_some() && two.find("mtnghana").is_none());
        let unknown = serde_json::from_str::<Markets>(r#""mtnkenya""#).unwrap_err();
        assert!(unknown.to_string().contains("unknown market \"mtnkenya\""));
        assert!(serde_json::from_str::<Markets>("[]").is_err());
        assert_eq!(Markets::default().primary(), SANDBOX);
    }
}
