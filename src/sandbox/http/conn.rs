//! Connections that a request can cut: fault mode's `reset` must really
//! drop the connection, which no response can do. Each accepted stream
//! carries a flag; a request finds it through [`CutHandle`] and sets it, and
//! the stream then fails every read and write, which makes the server drop
//! it with a reset.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections can be cut.
pub struct CuttableListener(pub TcpListener);

/// One accepted connection and its cut flag.
pub struct CuttableStream {
    inner: TcpStream,
    cut: Arc<AtomicBool>,
}

/// Cuts the connection a request came on.
#[derive(Clone, Debug)]
pub struct CutHandle(Arc<AtomicBool>);

impl CutHandle {
    /// Nothing more is read or written on the connection: whatever the
    /// server tries next fails, and it drops the connection.
    pub fn cut(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Connected<IncomingStream<'_, CuttableListener>> for CutHandle {
    fn connect_info(stream: IncomingStream<'_, CuttableListener>) -> Self {
        CutHandle(stream.io().cut.clone())
    }
}

impl Listener for CuttableListener {
    type Io = CuttableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (CuttableStream, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok((inner, addr)) => {
                    let stream = CuttableStream {
                        inner,
                        cut: Arc::new(AtomicBool::new(false)),
                    };
                    return (stream, addr);
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait, as axum's
                    // own listener does, instead of spinning.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

impl CuttableStream {
    /// The error every operation gets once cut. Closing with a zero linger
    /// time sends a TCP reset instead of an orderly close, as a broken
    /// network or a crashed proxy would; a zero linger never blocks.
    fn check(&self) -> io::Result<()> {
        if !self.cut.load(Ordering::SeqCst) {
            return Ok(());
        }
        #[allow(deprecated)]
        let _ = self.inner.set_linger(Some(Duration::ZERO));
        Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "connection cut by fault mode",
        ))
    }
}

impl AsyncRead for CuttableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for CuttableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
