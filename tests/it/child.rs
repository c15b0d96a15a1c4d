//! A second process for tests that need one: this test binary run again with
//! one ignored test selected and an environment variable saying what to do.
//! The child speaks in lines on stdout; the parent reads them as they come.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

/// A running child; killed and reaped when dropped, so a failing test leaves
/// no process behind.
pub struct Helper {
    child: Child,
    lines: Receiver<String>,
    /// Lines already taken from `lines`.
    seen: Vec<String>,
    stderr: Option<JoinHandle<String>>,
}

impl Helper {
    /// Runs the ignored test `test` (its full path, e.g. `crash::child`) in a
    /// new process with `var` set to `value`.
    pub fn start(test: &str, var: &str, value: &OsStr) -> Self {
        Self::start_through(&[], test, var, value)
    }

    /// Like [`Helper::start`], but through a wrapper command (`sh -c …`) that
    /// ends by running the rest of its arguments.
    pub fn start_through(wrapper: &[&str], test: &str, var: &str, value: &OsStr) -> Self {
        let exe = std::env::current_exe().unwrap();
        let mut command = match wrapper.split_first() {
            Some((program, args)) => {
                let mut command = Command::new(program);
                command.args(args).arg(exe);
                command
            }
            None => Command::new(exe),
        };
        let mut child = command
            .args([test, "--exact", "--ignored", "--nocapture", "--test-threads=1", "-q"])
            .env(var, value)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut stderr = child.stderr.take().unwrap();
        let stderr = Some(std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        }));
        Self { child, lines, seen: Vec::new(), stderr }
    }

    /// Waits for the child to print `line` (other lines, such as the test
    /// harness's, are kept for [`Helper::kill`]); panics with the child's stderr
    /// if it does not come in time.
    pub fn wait_for(&mut self, line: &str) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(got) => {
                    let done = got == line;
                    self.seen.push(got);
                    if done {
                        return;
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    let _ = self.child.kill();
                    let status = self.child.wait();
                    panic!("the child never said {line:?} ({status:?}); its stderr:\n{}", self.stderr());
                }
            }
        }
    }

    /// The child's stdin; dropping it tells a child that reads to the end to finish.
    pub fn stdin(&mut self) -> Option<ChildStdin> {
        self.child.stdin.take()
    }

    /// Kills the child (SIGKILL on Unix) and returns every line it printed,
    /// with its exit status.
    pub fn kill(mut self) -> (Vec<String>, ExitStatus) {
        let _ = self.child.kill();
        self.finish()
    }

    /// Waits for the child to exit by itself; all its lines and its status.
    pub fn finish(mut self) -> (Vec<String>, ExitStatus) {
        let status = self.child.wait().unwrap();
        // The reader ends at the end of the pipe, which the child's death closed.
        let mut lines = std::mem::take(&mut self.seen);
        lines.extend(self.lines.iter());
        (lines, status)
    }

    /// What the child wrote to stderr (it must have exited).
    pub fn stderr(&mut self) -> String {
        self.stderr.take().and_then(|h| h.join().ok()).unwrap_or_default()
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
