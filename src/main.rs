//! The `marquee` command: serve, migrate, manage staff credentials.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use marquee::config::Settings;
use marquee::domain::Role;

#[derive(Parser)]
#[command(
    name = "marquee",
    version,
    about = "Ticketing and attendance for film festivals"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web service (the default).
    Serve(marquee::startup::ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Write a consistent copy of the SQLite database to PATH while the service runs.
    Backup {
        path: String,
        /// Shred every festival's personal data in the copy (for analysis: reports and chains
        /// stay exact; staff names, credentials and signing keys are removed).
        #[arg(long)]
        without_personal_data: bool,
    },
    /// Check the scan log's hash chains; exits non-zero if any entry was altered or deleted.
    VerifyScans {
        /// Only this festival (its slug).
        #[arg(long)]
        festival: Option<String>,
    },
    /// Recompute every report counter from the rows; exits non-zero on any difference.
    CheckCounters {
        /// Only this festival (its slug).
        #[arg(long)]
        festival: Option<String>,
    },
    /// Write a new ticket-signing key to PATH (a new file only you can read), for
    /// MARQUEE_SIGNING_KEY_FILE. Prints its id and public key, never the key.
    Keygen { path: String },
    /// Create, list and revoke staff credentials.
    #[command(subcommand)]
    Staff(StaffCommand),
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create a staff member; prints the new credential alone on the last line.
    Add {
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        name: String,
        /// Limit the member to one festival (its slug).
        #[arg(long)]
        festival: Option<String>,
        /// Limit the member to one venue (its id).
        #[arg(long)]
        venue: Option<String>,
    },
    /// List staff members (never their credentials).
    List,
    /// Revoke a staff member's credential and sign them out everywhere.
    Revoke { id: String },
}

fn parse_role(value: &str) -> Result<Role, String> {
    // Team members and API tokens are made by a festival's owners, in Marquee.
    Role::parse(value)
        .filter(|role| matches!(role, Role::Organiser | Role::Door))
        .ok_or_else(|| "role must be organiser or door".to_owned())
}

fn main() -> ExitCode {
    marquee::startup::create_files_owner_only();
    let cli = Cli::parse();
    let result = Settings::from_env().and_then(|settings| {
        marquee::startup::init_logging(settings.log_format);
        match cli.command {
            None => marquee::startup::serve(settings, marquee::startup::ServeArgs::default()),
            Some(Command::Serve(args)) => marquee::startup::serve(settings, args),
            Some(Command::Migrate) => marquee::startup::migrate(&settings),
            Some(Command::Staff(StaffCommand::Add {
                role,
                name,
                festival,
                venue,
            })) => marquee::staff::cli::add(
                &settings,
                role,
                &name,
                festival.as_deref(),
                venue.as_deref(),
            ),
            Some(Command::Backup {
                path,
                without_personal_data,
            }) => marquee::startup::backup(&settings, &path, without_personal_data)
                .map(|()| println!("backed up to {path}")),
            Some(Command::VerifyScans { festival }) => {
                marquee::startup::checks::verify_scans(&settings, festival.as_deref())
            }
            Some(Command::CheckCounters { festival }) => {
                marquee::startup::checks::check_counters(&settings, festival.as_deref())
            }
            Some(Command::Keygen { path }) => {
                marquee::tickets::keys::write_key_file(&path).map(|key| {
                    println!("wrote signing key {} to {path}", key.key_id());
                    println!(
                        "public key (Ed25519, base64): {}",
                        data_encoding::BASE64.encode(key.public_key().as_bytes())
                    );
                    println!("start every instance with MARQUEE_SIGNING_KEY_FILE={path}");
                })
            }
            Some(Command::Staff(StaffCommand::List)) => marquee::staff::cli::list(&settings),
            Some(Command::Staff(StaffCommand::Revoke { id })) => {
                marquee::staff::cli::revoke(&settings, &id)
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("marquee: {error:#}");
            ExitCode::FAILURE
        }
    }
}
