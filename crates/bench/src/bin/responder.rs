//! The fast local MoMo responder of `npm run bench`: fixed, valid answers on the three
//! routes the benchmark uses, one thread, HTTP/1.1 keep-alive, no state, no validation.
//!
//! `responder [PORT] [--watch-stdin]`: PORT 0 (the default) takes any free port; the
//! chosen one is printed as `listening <port>`. With `--watch-stdin` the process exits
//! when its standard input closes (so it never outlives the benchmark that spawned it).

use std::convert::Infallible;
use std::io::{Read, Write};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

const TRANSFER_RESULT: &[u8] = br#"{"amount":"100","currency":"EUR","financialTransactionId":"123456","externalId":"x","payee":{"partyIdType":"MSISDN","partyId":"46733123450"},"payerMessage":"m","payeeNote":"n","status":"SUCCESSFUL"}"#;
const TOKEN: &[u8] =
    br#"{"access_token":"bench-access-token","token_type":"access_token","expires_in":3600}"#;
const STATUS_PREFIX: &str = "/disbursement/v1_0/transfer/";

type Error = Box<dyn std::error::Error + Send + Sync>;

fn answer(status: StatusCode, json: Option<&'static [u8]>) -> Response<Full<Bytes>> {
    let body = json.map_or_else(Bytes::new, Bytes::from_static);
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    if json.is_some() {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}

async fn route(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    // Read and discard the body, so the connection stays usable.
    let _ = req.into_body().collect().await;
    let response = match (method, path.as_str()) {
        (Method::GET, p)
            if p.strip_prefix(STATUS_PREFIX)
                .is_some_and(|id| !id.is_empty() && !id.contains('/')) =>
        {
            answer(StatusCode::OK, Some(TRANSFER_RESULT))
        }
        (Method::POST, "/disbursement/v1_0/transfer") => answer(StatusCode::ACCEPTED, None),
        (Method::POST, "/disbursement/token/") => answer(StatusCode::OK, Some(TOKEN)),
        _ => answer(StatusCode::NOT_FOUND, None),
    };
    Ok(response)
}

fn watch_stdin() {
    std::thread::spawn(|| {
        let mut sink = [0u8; 64];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        std::process::exit(0);
    });
}

fn main() -> Result<(), Error> {
    let mut port: u16 = 0;
    for a in std::env::args().skip(1) {
        if a == "--watch-stdin" {
            watch_stdin();
        } else {
            port = a.parse().map_err(|_| format!("not a port: {a}"))?;
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(port))
}

async fn serve(port: u16) -> Result<(), Error> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let mut out = std::io::stdout();
    writeln!(out, "listening {}", listener.local_addr()?.port())?;
    out.flush()?;
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of descriptors and the like: keep serving the connections we have.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service_fn(route))
                .await;
        });
    }
}
