//! Noticing that the reader of stdout went away while nothing is being
//! written: an export waiting for a rate-limit window (up to a minute at
//! 100 requests a minute) ends as soon as `| head` has what it wanted,
//! rather than at its next write.

/// Resolves when stdout is a pipe or socket whose reading end was closed;
/// never resolves otherwise (a file, a terminal, or a platform without
/// the means to ask).
pub async fn hung_up() {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsFd;

        use tokio::io::Interest;
        use tokio::io::unix::AsyncFd;
        // epoll reports an error on a pipe once its reader has closed it.
        // A copy of the descriptor is watched: registering it does not
        // change how stdout is written (it stays blocking), and a regular
        // file cannot be registered at all.
        if let Ok(copy) = std::io::stdout().as_fd().try_clone_to_owned() {
            // SAFETY: the copy is owned by the AsyncFd from here on, so it
            // stays open, naming the same file, for as long as it is watched.
            let watched = unsafe { AsyncFd::register_with_interest(copy, Interest::ERROR) };
            if let Ok(fd) = watched
                && fd.ready(Interest::ERROR).await.is_ok()
            {
                return;
            }
        }
    }
    std::future::pending::<()>().await
}
