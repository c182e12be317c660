//! Base URLs: parsed once, `https` required except for loopback hosts (the embedded
//! sandbox) unless the caller explicitly allows plain HTTP.

use url::{Host, Url};

use crate::failure::Failure;

#[derive(Debug, Clone)]
pub struct BaseUrl {
    /// Without a trailing slash, so `join("/path")` is a plain concatenation.
    prefix: String,
    /// Parsed once: a call's URL is this with its path set, which parses only the path
    /// (parsing the whole URL again, host included, cost several thousand instructions).
    url: Url,
}

impl BaseUrl {
    pub fn parse(raw: &str, allow_insecure_http: bool, field: &str) -> Result<Self, Failure> {
        let url = Url::parse(raw)
            .map_err(|_| Failure::invalid(field, format!("{field} is not a valid URL")))?;
        if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
            return Err(Failure::invalid(
                field,
                format!("{field} must not carry a query, a fragment or credentials"),
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" if allow_insecure_http || is_loopback(&url) => {}
            "http" => {
                return Err(Failure::invalid(
                    field,
                    format!("{field} must use https (plain http is allowed only for loopback hosts, or with allowInsecureHttp)"),
                ))
            }
            _ => return Err(Failure::invalid(field, format!("{field} must be an http(s) URL"))),
        }
        Ok(BaseUrl {
            prefix: url.as_str().trim_end_matches('/').to_owned(),
            url,
        })
    }

    /// `path` starts with `/` and holds only validated, encoded segments (no query).
    pub fn join(&self, path: &str) -> Url {
        let base_path = self.url.path().trim_end_matches('/');
        let mut full = String::with_capacity(base_path.len() + path.len());
        full.push_str(base_path);
        full.push_str(path);
        let mut url = self.url.clone();
        url.set_path(&full);
        url
    }

    pub fn as_str(&self) -> &str {
        &self.prefix
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_on_loopback() {
        assert!(BaseUrl::parse("http://127.0.0.1:8080", false, "baseUrl").is_ok());
        assert!(BaseUrl::parse("http://localhost/", false, "baseUrl").is_ok());
        assert!(BaseUrl::parse("http://example.com", false, "baseUrl").is_err());
        assert!(BaseUrl::parse("http://example.com", true, "baseUrl").is_ok());
        assert!(BaseUrl::parse("ftp://example.com", true, "baseUrl").is_err());
        let b = BaseUrl::parse("https://h.example/api/secure/", false, "baseUrl").unwrap();
        assert_eq!(
            b.join("/o/token/").as_str(),
            "https://h.example/api/secure/o/token/"
        );
        let root = BaseUrl::parse("http://127.0.0.1:8080", false, "baseUrl").unwrap();
        assert_eq!(
            root.join("/disbursement/v1_0/accountholder/email/a+b@x.example/active")
                .as_str(),
            "http://127.0.0.1:8080/disbursement/v1_0/accountholder/email/a+b@x.example/active"
        );
        assert_eq!(root.join("/a b").as_str(), "http://127.0.0.1:8080/a%20b");
    }
}
