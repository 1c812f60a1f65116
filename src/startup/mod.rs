//! Building and running the application: the pool, the keys, the routes, the HTTP server.

pub mod checks;
pub mod openapi;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, middleware, web as aweb};
use anyhow::Context;

use crate::config::{LogFormat, Settings};
use crate::db;
use crate::web::AppState;

/// Options of `marquee serve`.
#[derive(Debug, Default, clap::Args)]
pub struct ServeArgs {
    /// Load the demo festival (Vietnam Film Week in Paris) and print sign-in links for it.
    #[arg(long)]
    pub demo: bool,
    /// Address to listen on, e.g. 127.0.0.1:8080 or 0.0.0.0:80 (overrides MARQUEE_BIND).
    #[arg(long)]
    pub bind: Option<String>,
}

/// A built, not yet running, Marquee server.
pub struct Application {
    port: u16,
    server: Server,
    state: aweb::Data<AppState>,
    /// The signing keys (the demo signs its passes with them).
    keys: aweb::Data<crate::tickets::keys::KeyRing>,
    /// Passes expired waiting-list offers on while the server runs (a feature's thread, owned by
    /// the composition, not by the web plumbing's state).
    _waitlist: crate::booking::waitlist::Sweeper,
    /// Gives back pass seats not used by their release time.
    _pass_release: crate::passes::release::Sweeper,
    /// Shreds personal data past its festival's retention.
    _retention: crate::privacy::retention::Sweeper,
    /// Counts people from the scan log, off the scan's path.
    _projector: db::projection::Projector,
}

impl Application {
    /// Opens and migrates the database, loads the signing keys, binds the listener.
    pub fn build(settings: &Settings) -> anyhow::Result<Application> {
        let external_key = settings
            .signing_key
            .as_ref()
            .map(|text| crate::tickets::keys::parse_key_text(text.expose()))
            .transpose()?;
        let pool = open_database(&settings.database)?;
        warn_about_shared_files(settings);
        let keys = {
            let mut conn = pool.get().context("cannot get a database connection")?;
            crate::tickets::keys::load_or_create(&mut conn, external_key)
                .context("cannot load signing keys")?
        };
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let address = listener.local_addr()?;
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{address}"));
        settings.check_writers()?;
        let writer = settings
            .group_commit
            .then(|| {
                let backend = db::Backend::of_url(&settings.database.url);
                db::writer::Writer::start(pool.clone(), settings.writers, backend)
            })
            .transpose()
            .context("cannot start the database writer")?;
        let outbox = crate::mail::sender::start(
            pool.clone(),
            crate::mail::sender::SenderSettings {
                transport: crate::mail::Transport::from_settings(&settings.mail)?,
                from: crate::mail::sender_mailbox(&settings.mail.from)?,
                public_url: public_url.clone(),
                retry_cap: settings.mail.retry_cap,
            },
        )
        .context("cannot start the mail sender")?;
        // What this instance remembers between requests (its own, not the process's).
        let memory = Arc::new(crate::web::memory::Memory::default());
        let waitlist = crate::booking::waitlist::Sweeper::start(
            pool.clone(),
            memory.clone(),
            settings.waitlist_sweep,
        )
        .context("cannot start the waiting-list sweeper")?;
        let pass_release = crate::passes::release::Sweeper::start(
            pool.clone(),
            memory.clone(),
            settings.waitlist_sweep,
        )
        .context("cannot start the pass release sweeper")?;
        let retention = crate::privacy::retention::Sweeper::start(
            pool.clone(),
            memory.clone(),
            settings.retention_sweep,
        )
        .context("cannot start the retention sweeper")?;
        let projector = db::projection::Projector::start(
            pool.clone(),
            writer.clone(),
            settings.projection_interval,
        )
        .context("cannot start the attendance projection")?;
        let state = aweb::Data::new(AppState {
            outbox,
            mail_to_files: settings.mail.smtp_url.is_none(),
            writer,
            pool,
            public_url,
            public_url_set: settings.public_url.is_some(),
            trusted_proxies: Arc::new(settings.trusted_proxies.clone()),
            cookie_secure: settings.cookie_secure,
            hub: crate::web::live::Hub::default(),
            rate_limits: settings
                .rate_limits
                .then(|| Arc::new(crate::web::limits::RateLimits::default())),
            metrics: crate::web::metrics::Metrics::new().context("cannot set up metrics")?,
            metrics_token: settings.metrics_token.clone(),
            credentials: Arc::default(),
            guard: crate::web::guard::GuardSettings {
                body_timeout: settings.body_timeout,
            },
            memory,
        });
        let connections = Arc::new(crate::web::guard::Connections::default());
        let app_state = state.clone();
        // One per server, shared by every worker: a change is computed once for all viewers.
        let live_reports = aweb::Data::new(crate::reports::live::LiveReports::default());
        // The signing keys, for the handlers that sign or check tickets.
        let keys = aweb::Data::new(keys);
        let app_keys = keys.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(app_state.clone())
                .app_data(live_reports.clone())
                .app_data(keys.clone())
                .app_data(crate::web::form_config())
                .app_data(crate::web::path_config())
                .app_data(crate::web::query_config())
                .app_data(aweb::PayloadConfig::new(crate::web::MAX_BODY_BYTES))
                .wrap(middleware::from_fn(crate::web::csrf::check_forms))
                // Before routing and before any body is read; inside the error pages and the
                // language, so its refusals are pages in the visitor's language like any other.
                .wrap(middleware::from_fn(crate::web::guard::guard))
                .wrap(crate::web::render_error_pages())
                .wrap(middleware::from_fn(crate::web::lang::negotiate))
                .wrap(crate::web::security_headers())
                .wrap(middleware::from_fn(crate::web::metrics::record))
                .wrap(middleware::from_fn(crate::web::csrf::ensure_cookie))
                .wrap(
                    middleware::Logger::new("%a \"%{request}xi\" %s %b %Dms")
                        .custom_request_replace("request", crate::web::loggable_request),
                )
                .configure(routes)
                .default_service(aweb::to(crate::web::not_found))
        })
        .on_connect(crate::web::guard::on_connect(
            &connections,
            settings.max_connections_per_client,
        ))
        .workers(settings.workers)
        .listen(listener)?
        .run();
        Ok(Application {
            port: address.port(),
            server,
            state,
            keys: app_keys,
            _waitlist: waitlist,
            _pass_release: pass_release,
            _retention: retention,
            _projector: projector,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server (tests use it to end a spawned server).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Every route, from each feature module.
pub fn routes(cfg: &mut aweb::ServiceConfig) {
    crate::web::assets::routes(cfg);
    crate::web::health::routes(cfg);
    openapi::routes(cfg);
    crate::catalogue::api::routes(cfg);
    crate::catalogue::pages::routes(cfg);
    crate::booking::api::routes(cfg);
    crate::booking::pages::routes(cfg);
    crate::booking::waitlist_api::routes(cfg);
    crate::booking::ticket_images::routes(cfg);
    crate::passes::api::routes(cfg);
    crate::passes::pages::routes(cfg);
    crate::passes::admin::routes(cfg);
    crate::staff::pages::routes(cfg);
    crate::staff::passkeys::routes(cfg);
    crate::door::api::routes(cfg);
    crate::door::offline::routes(cfg);
    crate::door::standby::routes(cfg);
    crate::door::pages::routes(cfg);
    crate::reports::api::routes(cfg);
    crate::reports::pages::routes(cfg);
    crate::admin::routes(cfg);
    crate::mail::pages::routes(cfg);
    crate::privacy::routes(cfg);
    crate::team::account_pages::routes(cfg);
    crate::team::api::routes(cfg);
    crate::team::pages::routes(cfg);
    crate::team::audit::routes(cfg);
}

/// `marquee serve`: build, optionally seed the demo, print where to go, run until stopped.
pub fn serve(mut settings: Settings, args: ServeArgs) -> anyhow::Result<()> {
    if let Some(bind) = args.bind {
        settings.bind = bind;
    }
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&settings)?;
        let state = app.state();
        let mut conn = state
            .pool
            .get()
            .context("cannot get a database connection")?;
        println!("Marquee is running at {}/", state.public_url);
        if args.demo {
            let demo = crate::demo::load(&mut conn, &app.keys.signer, chrono::Utc::now())?;
            demo.print(&state.public_url);
        } else if let Some(token) = crate::staff::ensure_first_organiser(&mut conn)? {
            println!(
                "No organiser exists yet. Sign in as the first organiser (this link is shown once):"
            );
            println!("  {}", crate::staff::signin_link(&state.public_url, &token));
        }
        drop(conn);
        app.run_until_stopped().await.context("the server stopped")
    })
}

/// Says, at start, which of the places Marquee keeps data in other users of the machine can read:
/// the SQLite file (people's details, the signing key unless it is kept outside; its `-wal` and
/// `-shm` files take its mode) and the mail folder (each message carries a live manage link).
/// Marquee creates them owner-only; one made by hand, or by an older version, may not be.
fn warn_about_shared_files(settings: &Settings) {
    let sqlite = db::sqlite_file(&settings.database.url);
    let mail = settings
        .mail
        .smtp_url
        .is_none()
        .then(|| settings.mail.dir.clone());
    for path in [sqlite, mail].into_iter().flatten() {
        if db::shared_with_others(&path) {
            tracing::warn!(
                path = %path.display(),
                "other users of this machine can read this; make it yours alone (chmod go= {})",
                path.display()
            );
        }
    }
}

/// Makes every file and folder this process creates from now on owner-only (the database, its
/// journal, backups, mail files): the command line calls it first.
pub fn create_files_owner_only() {
    // SAFETY: umask only sets the process's file-creation mask; it cannot fail.
    #[expect(unsafe_code, reason = "libc has no safe wrapper for umask")]
    unsafe {
        libc::umask(0o077);
    }
}

/// `marquee migrate`.
/// Opens the database: its migrations, then what a migration leaves to the code — an old scan
/// log carried into today's shape (chains verified and made again), older bookings indexed for
/// the search.
pub fn open_database(settings: &crate::config::DatabaseSettings) -> anyhow::Result<db::DbPool> {
    let pool = db::connect(settings)?;
    let mut conn = pool.get().context("cannot get a database connection")?;
    let upgraded = crate::door::upgrade::carry_over(&mut conn)
        .map_err(crate::error::AppError::into_cause)
        .context("cannot carry the scan log over to its new shape")?;
    if upgraded.screenings > 0 {
        tracing::info!(
            screenings = upgraded.screenings,
            entries = upgraded.entries,
            broken = upgraded.broken,
            "scan log carried over: no names or messages in it any more, chains verified and made again"
        );
    }
    // Bookings made before their holders' words were kept become searchable.
    let indexed = crate::booking::search::backfill(&mut conn)
        .map_err(crate::error::AppError::into_cause)
        .context("cannot index older bookings for the search")?;
    if indexed > 0 {
        tracing::info!(bookings = indexed, "older bookings indexed for the search");
    }
    drop(conn);
    Ok(pool)
}

/// `marquee backup PATH [--without-personal-data]`: a consistent copy of a SQLite database,
/// online; with the flag, the copy is then made fit for analysis
/// ([`crate::privacy::retention::anonymise_copy`]).
pub fn backup(settings: &Settings, path: &str, without_personal_data: bool) -> anyhow::Result<()> {
    db::backup(&settings.database, path)?;
    if without_personal_data {
        let copy = crate::config::DatabaseSettings {
            url: path.to_owned(),
            ..settings.database.clone()
        };
        let pool = open_database(&copy)?;
        let mut conn = pool.get().context("cannot open the copy")?;
        crate::privacy::retention::anonymise_copy(
            &mut conn,
            &crate::web::memory::Memory::default(),
        )
        .map_err(crate::error::AppError::into_cause)
        .context("cannot remove the personal data from the copy")?;
    }
    Ok(())
}

pub fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let pool = open_database(&settings.database)?;
    drop(pool);
    println!(
        "database {} is up to date",
        db::redact(&settings.database.url)
    );
    Ok(())
}

/// Sets up logging once: text or JSON lines, filtered by `RUST_LOG` (default `info`).
pub fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
