//! Building and running the application: the pool, the keys, the routes, the HTTP server.

pub mod acme;
pub mod checks;
pub mod openapi;
pub mod tls;

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
    /// The writer threads, the checkpointer's and the mail sender's, joined at shutdown.
    threads: Vec<std::thread::JoinHandle<()>>,
    /// On SIGTERM, how long `/readyz` says the instance is stopping before it stops.
    drain: std::time::Duration,
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
        let plain_listener = settings
            .http_bind
            .as_ref()
            .map(|bind| {
                TcpListener::bind(bind)
                    .with_context(|| format!("MARQUEE_HTTP_BIND: cannot listen on {bind}"))
            })
            .transpose()?;
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| default_public_url(settings, address));
        settings.check_writers()?;
        let writer = settings
            .group_commit
            .then(|| {
                let backend = db::Backend::of_url(&settings.database.url);
                db::writer::Writer::start(pool.clone(), settings.writers, backend)
            })
            .transpose()
            .context("cannot start the database writer")?;
        let mut threads = writer
            .as_ref()
            .map(db::writer::Writer::take_threads)
            .unwrap_or_default();
        let (outbox, sender) = crate::mail::sender::start(
            pool.clone(),
            crate::mail::sender::SenderSettings {
                transport: crate::mail::Transport::from_settings(&settings.mail)?,
                from: crate::mail::sender_mailbox(&settings.mail.from)?,
                public_url: public_url.clone(),
                retry_cap: settings.mail.retry_cap,
            },
        )
        .context("cannot start the mail sender")?;
        threads.push(sender);
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
        let https = settings
            .https
            .as_ref()
            .map(|https| start_https(https, &public_url))
            .transpose()?;
        let plain = https
            .as_ref()
            .map(|(_, plain)| aweb::Data::new(plain.clone()));
        // HSTS whenever the site is HTTPS: served here, or by a proxy in front.
        let hsts = settings.https.is_some() || public_url.starts_with("https://");
        let state = aweb::Data::new(AppState {
            outbox,
            mail_to_files: settings.mail.smtp_url.is_none(),
            writer,
            pool,
            public_url,
            public_url_set: settings.public_url.is_some(),
            trusted_proxies: Arc::new(settings.trusted_proxies.clone()),
            cookie_secure: settings.cookie_secure,
            stopping: Arc::default(),
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
                // Small answers (a scan's) are sent as they are: compressing them costs more than
                // it saves.
                .wrap(middleware::from_fn(crate::web::compress_large_only))
                .wrap(middleware::Compress::default())
                .wrap(crate::web::security_headers(hsts))
                .wrap(middleware::from_fn(crate::web::metrics::record))
                .wrap(middleware::from_fn(crate::web::health::close_when_stopping))
                .wrap(middleware::from_fn(crate::web::csrf::ensure_cookie))
                .wrap(
                    middleware::Logger::new("%{client}xi \"%{request}xi\" %s %b %Dms")
                        .custom_request_replace("client", crate::web::loggable_client)
                        .custom_request_replace("request", crate::web::loggable_request),
                )
                // Outermost: plain HTTP beside HTTPS only redirects (and answers ACME).
                .wrap(middleware::Condition::new(
                    plain.is_some(),
                    middleware::from_fn(plain_http),
                ))
                // Read by `plain_http` (an `Option`: there only with HTTPS).
                .app_data(plain.clone())
                .configure(routes)
                .default_service(aweb::to(crate::web::not_found))
        })
        .on_connect(crate::web::guard::on_connect(
            &connections,
            settings.max_connections_per_client,
        ))
        .workers(settings.workers)
        // Signals are the caller's ([`Application::serve_until_signalled`]). Once the server
        // stops, connections get this long to finish: requests take milliseconds, but a
        // dashboard's live stream or a browser's idle HTTP/2 connection stays open until then.
        .disable_signals()
        .shutdown_timeout(10);
        let server = match https {
            Some((certificate, _)) => {
                let mut server =
                    server.listen_rustls_0_23(listener, tls::server_config(certificate)?)?;
                if let Some(plain) = plain_listener {
                    server = server.listen(plain)?;
                }
                server
            }
            None => server.listen(listener)?,
        }
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
            threads,
            drain: settings.drain,
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

    /// Runs until SIGTERM or SIGINT, then stops in order: `/readyz` answers 503 for the drain
    /// time while requests are still served (a load balancer stops sending new ones), the
    /// listeners close, requests in progress are answered (10 s at most), the background threads
    /// stop and the writers finish what is queued, and every thread is joined. A second signal
    /// stops at once.
    pub async fn serve_until_signalled(self) -> anyhow::Result<()> {
        let Application {
            server,
            state,
            keys,
            _waitlist,
            _pass_release,
            _retention,
            _projector,
            mut threads,
            drain,
            ..
        } = self;
        let handle = server.handle();
        let stopping = state.stopping.clone();
        actix_web::rt::spawn(async move {
            let mut terminate = signal(tokio::signal::unix::SignalKind::terminate());
            let mut interrupt = signal(tokio::signal::unix::SignalKind::interrupt());
            // `systemctl reload` sends SIGHUP: certificate files are read again (their watcher
            // listens too); without them there is nothing to read, and it must not stop us.
            let mut hangup = signal(tokio::signal::unix::SignalKind::hangup());
            let mut asked = 0;
            loop {
                let name = tokio::select! {
                    _ = terminate.recv() => "SIGTERM",
                    _ = interrupt.recv() => "SIGINT",
                    _ = hangup.recv() => {
                        tracing::info!("SIGHUP: settings are read at start; certificate files, if any, are read again");
                        continue;
                    }
                };
                asked += 1;
                if asked > 1 {
                    tracing::warn!(signal = name, "stopping at once");
                    handle.stop(false).await;
                    return;
                }
                tracing::info!(
                    signal = name,
                    drain_seconds = drain.as_secs(),
                    "stopping: no longer ready, then answering what is in progress"
                );
                stopping.store(true, std::sync::atomic::Ordering::SeqCst);
                let handle = handle.clone();
                actix_web::rt::spawn(async move {
                    tokio::time::sleep(drain).await;
                    handle.stop(true).await;
                });
            }
        });
        server.await.context("the server stopped")?;
        threads.extend([
            _waitlist.stop(),
            _pass_release.stop(),
            _retention.stop(),
            _projector.stop(),
        ]);
        // The last handles of the writer and the mail sender: they finish and stop.
        drop(state);
        drop(keys);
        // Off the runtime's thread, so that a second signal still stops at once meanwhile.
        actix_web::rt::task::spawn_blocking(move || {
            db::periodic::join_all(threads, std::time::Duration::from_secs(30));
        })
        .await
        .context("joining the background threads")?;
        tracing::info!("stopped");
        Ok(())
    }
}

/// A Unix signal stream (the signals are the platform's: registering cannot fail on Linux but
/// for resource exhaustion, which ends the start).
fn signal(kind: tokio::signal::unix::SignalKind) -> tokio::signal::unix::Signal {
    tokio::signal::unix::signal(kind).expect("signal handlers can be installed")
}

/// The public URL when `MARQUEE_PUBLIC_URL` is not set: the address listened on, or with
/// ACME the first domain (its port unless 443).
fn default_public_url(settings: &Settings, address: std::net::SocketAddr) -> String {
    match &settings.https {
        None => format!("http://{address}"),
        Some(crate::config::Https::Files { .. }) => format!("https://{address}"),
        Some(crate::config::Https::Acme(acme)) => match address.port() {
            443 => format!("https://{}", acme.domains[0]),
            port => format!("https://{}:{port}", acme.domains[0]),
        },
    }
}

/// What plain HTTP beside HTTPS needs: where to send visitors, and the ACME challenges' answers.
#[derive(Clone)]
struct PlainHttp {
    /// `https://host[:port]`, no trailing slash.
    https_origin: String,
    challenges: Arc<acme::Challenges>,
}

/// The certificate of HTTPS: from files (watched) or over ACME (kept current).
fn start_https(
    https: &crate::config::Https,
    public_url: &str,
) -> anyhow::Result<(Arc<tls::Certificate>, PlainHttp)> {
    // Anything else in the process that speaks TLS through rustls (the ACME client) uses the
    // same crypto.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let certificate = Arc::new(tls::Certificate::default());
    let challenges = Arc::new(acme::Challenges::default());
    match https {
        crate::config::Https::Files { cert, key } => {
            certificate.set(tls::load_files(cert, key)?);
            tls::watch_files(certificate.clone(), cert.clone(), key.clone());
        }
        crate::config::Https::Acme(acme_settings) => {
            acme::start(
                acme_settings.clone(),
                certificate.clone(),
                challenges.clone(),
            )?;
        }
    }
    // The public URL's scheme and authority, over HTTPS.
    let url = public_url
        .strip_prefix("http://")
        .map_or_else(|| public_url.to_owned(), |rest| format!("https://{rest}"));
    let authority = url.find("://").map_or(0, |i| i + 3);
    let https_origin = match url[authority..].find('/') {
        Some(slash) => url[..authority + slash].to_owned(),
        None => url,
    };
    Ok((
        certificate,
        PlainHttp {
            https_origin,
            challenges,
        },
    ))
}

/// Plain HTTP beside HTTPS: the ACME challenges are answered, health probes too (a load
/// balancer on the local network may ask over HTTP), everything else is redirected to the same
/// path over HTTPS (308: the method and body are kept).
async fn plain_http(
    req: actix_web::dev::ServiceRequest,
    next: middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::HttpResponse;
    use actix_web::http::header;
    if req.app_config().secure() || matches!(req.path(), "/healthz" | "/readyz") {
        return next
            .call(req)
            .await
            .map(actix_web::dev::ServiceResponse::map_into_left_body);
    }
    let Some(Some(plain)) = req.app_data::<Option<aweb::Data<PlainHttp>>>().cloned() else {
        return next
            .call(req)
            .await
            .map(actix_web::dev::ServiceResponse::map_into_left_body);
    };
    let response = match req.path().strip_prefix("/.well-known/acme-challenge/") {
        Some(token) => match plain.challenges.answer(token) {
            Some(answer) => HttpResponse::Ok()
                .content_type("application/octet-stream")
                .body(answer),
            None => HttpResponse::NotFound().body("no such challenge"),
        },
        None => {
            let path_and_query = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned();
            HttpResponse::PermanentRedirect()
                .insert_header((
                    header::LOCATION,
                    format!("{}{path_and_query}", plain.https_origin),
                ))
                .finish()
        }
    };
    Ok(req.into_response(response).map_into_right_body())
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
        app.serve_until_signalled().await
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
