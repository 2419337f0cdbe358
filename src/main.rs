use clap::Parser;

fn main() {
    let cli = krafter::cli::Cli::parse();
    let code = krafter::commands::main(cli);
    std::process::exit(code);
}
