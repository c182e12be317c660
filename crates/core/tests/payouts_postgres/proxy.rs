//! A loopback TCP proxy between a ledger and PostgreSQL that loses one message on demand:
//! armed, it cuts the connection (closing both sides) on the next bytes of the chosen
//! direction instead of forwarding them. Cutting the server's reply lets a statement
//! commit without its client ever hearing so; cutting the client's request keeps it from
//! reaching the server at all.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

/// Which direction's next bytes are lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    Reply = 1,
    Request = 2,
}

struct Shared {
    /// 0, or the armed [`Cut`]; disarmed by the cut it causes.
    armed: AtomicU8,
    cut: Notify,
    /// While true, a new connection waits before it is connected to the server.
    held: watch::Sender<bool>,
}

pub struct Proxy {
    pub port: u16,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Proxy {
    /// Listens on a loopback port, forwarding every connection to `upstream` (host:port).
    pub async fn start(upstream: String) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            armed: AtomicU8::new(0),
            cut: Notify::new(),
            held: watch::channel(false).0,
        });
        let task = tokio::spawn({
            let shared = shared.clone();
            async move {
                while let Ok((client, _)) = listener.accept().await {
                    let (shared, upstream) = (shared.clone(), upstream.clone());
                    tokio::spawn(async move {
                        let mut held = shared.held.subscribe();
                        if held.wait_for(|h| !*h).await.is_err() {
                            return;
                        }
                        if let Ok(server) = TcpStream::connect(&upstream).await {
                            // An error ends the connection, as the cut does.
                            let _ = pipe(client, server, &shared).await;
                        }
                    });
                }
            }
        });
        Ok(Proxy { port, shared, task })
    }

    pub fn arm(&self, cut: Cut) {
        self.shared.armed.store(cut as u8, Ordering::SeqCst);
    }

    /// Makes new connections wait (`true`) until released (`false`).
    pub fn hold(&self, held: bool) {
        self.shared.held.send_replace(held);
    }

    /// Waits until the armed cut has happened.
    pub async fn cut(&self) -> Result<(), &'static str> {
        tokio::time::timeout(
            std::time::Duration::from_secs(20),
            self.shared.cut.notified(),
        )
        .await
        .map_err(|_| "the proxy never cut the connection")
    }

    /// `url` (a ledger URL) with its host and port made this proxy's.
    pub fn url(&self, url: &str) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
        let mut u = url::Url::parse(url)?;
        u.set_host(Some("127.0.0.1"))?;
        u.set_port(Some(self.port))
            .map_err(|()| "the URL cannot take a port")?;
        Ok(u.to_string())
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Where the server of `url` (a `postgres://` URL) listens, as host:port.
pub fn upstream(url: &str) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let u = url::Url::parse(url)?;
    let host = u
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or("DATABASE_URL names no host to proxy")?;
    Ok(format!("{host}:{}", u.port().unwrap_or(5432)))
}

fn take(shared: &Shared, cut: Cut) -> bool {
    let armed = shared
        .armed
        .compare_exchange(cut as u8, 0, Ordering::SeqCst, Ordering::SeqCst)
        .is_ok();
    if armed {
        shared.cut.notify_one();
    }
    armed
}

/// Forwards both ways until either side closes or the armed cut happens; returning
/// drops (closes) both sockets.
async fn pipe(
    mut client: TcpStream,
    mut server: TcpStream,
    shared: &Shared,
) -> std::io::Result<()> {
    let (mut up, mut down) = (Vec::with_capacity(16_384), Vec::with_capacity(16_384));
    loop {
        // read_buf is cancel safe: the branch not taken has read nothing.
        tokio::select! {
            n = client.read_buf(&mut up) => {
                if n? == 0 || take(shared, Cut::Request) {
                    return Ok(());
                }
                server.write_all(&up).await?;
                up.clear();
            }
            n = server.read_buf(&mut down) => {
                if n? == 0 || take(shared, Cut::Reply) {
                    return Ok(());
                }
                client.write_all(&down).await?;
                down.clear();
            }
        }
    }
}
