//! At most so many connections open at once on the bot's HTTP listener,
//! so that a flood of idle connections cannot exhaust file descriptors.
//! A new connection past the limit is not left waiting in the kernel's
//! queue, where it would time out behind the idle ones: it is taken, and
//! the oldest connection that has sent nothing yet is closed to make room
//! (if every connection is busy, the new one is closed instead).

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures_util::task::AtomicWaker;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// One admitted connection's flags, shared with the gate.
#[derive(Default)]
struct Slot {
    /// Whether the client has sent anything: the ones that have not are
    /// the first to go.
    spoke: AtomicBool,
    closed: AtomicBool,
    /// Wakes the connection's reader when the gate closes it.
    waker: AtomicWaker,
}

pub struct Gate {
    max: usize,
    open: Mutex<VecDeque<Arc<Slot>>>,
}

impl Gate {
    pub fn new(max: usize) -> Arc<Gate> {
        Arc::new(Gate {
            max: max.max(1),
            open: Mutex::default(),
        })
    }

    /// Admits `stream`, closing a silent connection if the gate is full;
    /// `None` when every open connection is busy.
    pub fn admit(self: &Arc<Self>, stream: TcpStream) -> Option<Gated> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.retain(|slot| !slot.closed.load(Ordering::Acquire));
        if open.len() >= self.max {
            let silent = open
                .iter()
                .position(|slot| !slot.spoke.load(Ordering::Acquire))?;
            let evicted = open.remove(silent)?;
            evicted.closed.store(true, Ordering::Release);
            evicted.waker.wake();
        }
        let slot = Arc::new(Slot::default());
        open.push_back(slot.clone());
        Some(Gated { stream, slot })
    }
}

/// A connection the gate admitted; reads fail once the gate closes it, and
/// dropping it frees its place.
pub struct Gated {
    stream: TcpStream,
    slot: Arc<Slot>,
}

impl Drop for Gated {
    fn drop(&mut self) {
        self.slot.closed.store(true, Ordering::Release);
    }
}

impl AsyncRead for Gated {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.slot.waker.register(cx.waker());
        if self.slot.closed.load(Ordering::Acquire) {
            return Poll::Ready(Err(io::ErrorKind::ConnectionAborted.into()));
        }
        let before = buf.filled().len();
        let read = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.slot.spoke.store(true, Ordering::Release);
        }
        read
    }
}

impl AsyncWrite for Gated {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
