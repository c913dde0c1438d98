//! The `lotse` binary: parses the command line, calls the library and turns
//! the outcome into an exit code (0 success, 1 invalid input, 2 usage).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
