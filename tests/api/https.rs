//! HTTPS served by Marquee itself, the real binary: certificate files (HTTP/2, compression,
//! HSTS, `Secure` cookies, hashed static assets, plain HTTP redirected, a new certificate taken
//! without dropping a connection), and certificates over ACME from Debian's `pebble`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sha2::Digest;

use crate::helpers::{Origin, https_client, new_browser};
use crate::rolling::{exited, free_port, signal};

/// A certificate authority made for one test, and the server certificates it signs.
pub struct TestCa {
    key: rcgen::KeyPair,
    params: rcgen::CertificateParams,
    /// Its certificate, PEM.
    pub pem: String,
}

/// A server certificate and its key.
pub struct Issued {
    pub chain_pem: String,
    pub key_pem: String,
    pub der: Vec<u8>,
    /// Base64 of the SHA-256 of its public key, as Chromium's
    /// `--ignore-certificate-errors-spki-list` takes it (the certificate is then trusted).
    pub spki_sha256: String,
}

impl TestCa {
    pub fn new() -> TestCa {
        let key = rcgen::KeyPair::generate().expect("a key");
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Marquee test CA");
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let cert = params.self_signed(&key).expect("a CA certificate");
        TestCa {
            pem: cert.pem(),
            key,
            params,
        }
    }

    /// A server certificate for `names` (DNS names or IP addresses).
    pub fn issue(&self, names: &[&str]) -> Issued {
        use rcgen::PublicKeyData;
        let key = rcgen::KeyPair::generate().expect("a key");
        let mut params = rcgen::CertificateParams::new(
            names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>(),
        )
        .expect("params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, names[0]);
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let issuer = rcgen::Issuer::from_params(&self.params, &self.key);
        let cert = params.signed_by(&key, &issuer).expect("a certificate");
        let spki = sha2::Sha256::digest(key.subject_public_key_info());
        Issued {
            chain_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            der: cert.der().to_vec(),
            spki_sha256: data_encoding::BASE64.encode(&spki),
        }
    }

    /// Writes `issued` where `cert` and `key` say (the key owner-only).
    pub fn write(issued: &Issued, cert: &Path, key: &Path) {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::write(cert, &issued.chain_pem).unwrap();
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(key)
            .unwrap();
        std::io::Write::write_all(&mut file, issued.key_pem.as_bytes()).unwrap();
    }
}

/// `marquee serve` with these variables, its standard error in `log`.
fn serve(env: &[(&str, &str)], log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_marquee"))
        .arg("serve")
        .env("MARQUEE_RATE_LIMITS", "off")
        .env("MARQUEE_MAIL_DIR", log.with_extension("mail"))
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .expect("start marquee")
}

/// Polls `url` with `client` until it answers 200 (a fresh client each time when `fresh` makes
/// one: a new connection, a new handshake).
async fn until_ok(
    client: impl Fn() -> reqwest::Client,
    url: &str,
    what: &str,
) -> reqwest::Response {
    let started = Instant::now();
    loop {
        if let Ok(response) = client().get(url).send().await
            && response.status() == 200
        {
            return response;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The certificate a response's connection was given.
fn peer_certificate(response: &reqwest::Response) -> Vec<u8> {
    response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .expect("a TLS connection")
        .to_vec()
}

/// The certificate a new connection is given now.
async fn served_certificate(origin: &Origin<'_>, port: u16) -> Vec<u8> {
    let response = https_client(origin, port)
        .get(format!("https://{}:{port}/healthz", origin.host))
        .send()
        .await
        .expect("an HTTPS answer");
    peer_certificate(&response)
}

/// Sets a file's modification time (so that only SIGHUP, not the change watcher, can explain a
/// reload).
fn set_modified(path: &Path, at: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(at)
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_from_certificate_files_with_http2_compression_and_a_redirect() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, log) = (
        dir.path().join("fullchain.pem"),
        dir.path().join("privkey.pem"),
        dir.path().join("marquee.log"),
    );
    let ca = TestCa::new();
    let host = "tickets.festival.test";
    let first = ca.issue(&[host]);
    TestCa::write(&first, &cert, &key);
    let (port, plain_port) = (free_port(), free_port());
    let origin = Origin {
        host,
        ca_pem: &ca.pem,
    };
    let base = format!("https://{host}:{port}");
    let database = dir.path().join("marquee.db");
    let mut server = serve(
        &[
            ("DATABASE_URL", database.to_str().unwrap()),
            ("MARQUEE_BIND", &format!("127.0.0.1:{port}")),
            ("MARQUEE_HTTP_BIND", &format!("127.0.0.1:{plain_port}")),
            ("MARQUEE_TLS_CERT_FILE", cert.to_str().unwrap()),
            ("MARQUEE_TLS_KEY_FILE", key.to_str().unwrap()),
            ("MARQUEE_PUBLIC_URL", &base),
        ],
        &log,
    );
    let ready = until_ok(
        || https_client(&origin, port),
        &format!("{base}/readyz"),
        "marquee did not start over HTTPS",
    )
    .await;
    // HTTP/2 (ALPN), HSTS, the certificate given.
    assert_eq!(ready.version(), reqwest::Version::HTTP_2);
    assert_eq!(
        ready.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    assert_eq!(peer_certificate(&ready), first.der);

    // Pages are compressed (Brotli or gzip, as asked); a small answer is not.
    let client = https_client(&origin, port);
    let plain_page = client
        .get(format!("{base}/"))
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    let cookie = plain_page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        cookie.contains("__Host-") && cookie.contains("Secure"),
        "cookies are Secure over HTTPS: {cookie}"
    );
    let html = plain_page.text().await.unwrap();
    for encoding in ["br", "gzip"] {
        let compressed = client
            .get(format!("{base}/"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(compressed.headers()["content-encoding"], encoding);
        let size = compressed.bytes().await.unwrap().len();
        assert!(
            size < html.len(),
            "{encoding}: {size} bytes for a {} byte page",
            html.len()
        );
    }
    // The API's description, 200 KiB of JSON, to a fifth or less.
    let description = client
        .get(format!("{base}/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len();
    let compressed = client
        .get(format!("{base}/api/openapi.json"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "br");
    let size = compressed.bytes().await.unwrap().len();
    assert!(size * 5 < description, "{size} bytes of {description}");
    let small = client
        .get(format!("{base}/healthz"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert!(
        small
            .headers()
            .get("content-encoding")
            .is_none_or(|e| e == "identity"),
        "{:?}",
        small.headers()
    );
    assert_eq!(small.text().await.unwrap(), r#"{"status":"ok"}"#);

    // Static assets under their content's hash, kept a year; the plain name an hour.
    let stylesheet = html
        .split("href=\"")
        .find_map(|rest| {
            let link = rest.split('"').next()?;
            (link.starts_with("/static/marquee.") && link.ends_with(".css")).then_some(link)
        })
        .expect("a hashed stylesheet link");
    assert_ne!(stylesheet, "/static/marquee.css");
    let hashed = client
        .get(format!("{base}{stylesheet}"))
        .send()
        .await
        .unwrap();
    assert_eq!(hashed.status(), 200);
    assert_eq!(
        hashed.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let unhashed = client
        .get(format!("{base}/static/marquee.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(unhashed.headers()["cache-control"], "public, max-age=3600");
    let css = hashed.text().await.unwrap();
    assert_eq!(css, unhashed.text().await.unwrap());
    assert_eq!(
        client
            .get(format!("{base}/static/marquee.0000000000.css"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // Plain HTTP: redirected to the same path over HTTPS, method kept; health probes answered.
    let plain = format!("http://127.0.0.1:{plain_port}");
    let browser = new_browser();
    for request in [
        browser.get(format!("{plain}/programme?lang=fr")),
        browser.post(format!("{plain}/programme?lang=fr")),
    ] {
        let redirect = request.send().await.unwrap();
        assert_eq!(redirect.status(), 308);
        assert_eq!(
            redirect.headers()["location"],
            format!("{base}/programme?lang=fr").as_str()
        );
    }
    let probe = browser.get(format!("{plain}/readyz")).send().await.unwrap();
    assert_eq!(probe.status(), 200);
    let unknown = browser
        .get(format!("{plain}/.well-known/acme-challenge/not-ours"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);

    // A new certificate written over the files is served to new connections; a connection
    // opened before carries on, with the certificate it was given.
    let held = https_client(&origin, port);
    let before = held.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(peer_certificate(&before), first.der);
    let second = ca.issue(&[host]);
    TestCa::write(&second, &cert, &key);
    let started = Instant::now();
    while served_certificate(&origin, port).await != second.der {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the changed files were not read again"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let after = held.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(after.status(), 200, "the open connection still answers");
    assert_eq!(
        peer_certificate(&after),
        first.der,
        "on the connection it had"
    );

    // SIGHUP reads the files even when their times say nothing changed.
    let stamp = std::fs::metadata(&cert).unwrap().modified().unwrap();
    let key_stamp = std::fs::metadata(&key).unwrap().modified().unwrap();
    let third = ca.issue(&[host]);
    TestCa::write(&third, &cert, &key);
    set_modified(&cert, stamp);
    set_modified(&key, key_stamp);
    // The watcher looks every few seconds: it sees nothing new.
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(served_certificate(&origin, port).await, second.der);
    signal(&server, libc::SIGHUP);
    let started = Instant::now();
    while served_certificate(&origin, port).await != third.der {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "SIGHUP did not read the files"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A file that does not load leaves the certificate in use.
    std::fs::write(&cert, "not a certificate").unwrap();
    signal(&server, libc::SIGHUP);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(served_certificate(&origin, port).await, third.der);

    // Idle HTTP/2 connections would hold the shutdown until its timeout.
    drop((ready, client, held, before, after));
    signal(&server, libc::SIGTERM);
    let status = exited(&mut server).await;
    assert!(status.success(), "{status}");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("certificate loaded again"), "{log}");
    assert!(log.contains("does not load"), "{log}");
}

#[tokio::test]
async fn a_certificate_that_does_not_load_stops_the_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    // Another certificate's key.
    TestCa::write(&ca.issue(&["a.festival.test"]), &cert, &key);
    let other = ca.issue(&["b.festival.test"]);
    std::fs::write(&key, &other.key_pem).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .arg("serve")
        .env("DATABASE_URL", dir.path().join("m.db"))
        .env("MARQUEE_BIND", "127.0.0.1:0")
        .env("MARQUEE_TLS_CERT_FILE", &cert)
        .env("MARQUEE_TLS_KEY_FILE", &key)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the key does not match the certificate"),
        "{stderr}"
    );
    // ACME without the port-80 listener it needs.
    let output = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .arg("serve")
        .env("DATABASE_URL", dir.path().join("m.db"))
        .env("MARQUEE_ACME_DOMAINS", "tickets.festival.test")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("MARQUEE_HTTP_BIND"), "{stderr}");
}

/// Debian's `pebble` (an ACME server for tests) with `pebble-challtestsrv` as its DNS, which
/// says every name is 127.0.0.1; both stopped when dropped.
pub struct Pebble {
    processes: Vec<Child>,
    /// The ACME directory.
    pub directory: String,
    /// The CA of pebble's own HTTPS (for `MARQUEE_ACME_ROOT_FILE`).
    pub ca_file: std::path::PathBuf,
    ca_pem: String,
    management: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Pebble {
    fn drop(&mut self) {
        for process in &mut self.processes {
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}

impl Pebble {
    /// Starts pebble, validating HTTP-01 challenges on `http_port` and TLS-ALPN-01 ones on
    /// `tls_port`; `None` when it is not installed and this is not CI (CI installs it: there it
    /// must run).
    pub async fn start(http_port: u16, tls_port: u16) -> Option<Pebble> {
        if !Path::new("/usr/bin/pebble").exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "pebble is not installed (apt-get install pebble)"
            );
            eprintln!("note: pebble not installed; skipping the ACME test");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let ca = TestCa::new();
        let own = ca.issue(&["localhost", "127.0.0.1"]);
        let (cert, key) = (dir.path().join("pebble.pem"), dir.path().join("pebble.key"));
        TestCa::write(&own, &cert, &key);
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, &ca.pem).unwrap();
        let (listen, management, dns, challenge_management) =
            (free_port(), free_port(), free_port(), free_port());
        let config = serde_json::json!({"pebble": {
            "listenAddress": format!("127.0.0.1:{listen}"),
            "managementListenAddress": format!("127.0.0.1:{management}"),
            "certificate": cert, "privateKey": key,
            "httpPort": http_port, "tlsPort": tls_port,
            "ocspResponderURL": "", "externalAccountBindingRequired": false,
        }});
        let config_file = dir.path().join("pebble.json");
        std::fs::write(&config_file, config.to_string()).unwrap();
        let dns_server = Command::new("/usr/bin/pebble-challtestsrv")
            .args(["-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""])
            .args(["-dns01", &format!("127.0.0.1:{dns}")])
            .args(["-management", &format!("127.0.0.1:{challenge_management}")])
            .args(["-http01", "", "-https01", "", "-tlsalpn01", ""])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pebble-challtestsrv");
        let pebble = Command::new("/usr/bin/pebble")
            .args(["-config", config_file.to_str().unwrap()])
            .args(["-dnsserver", &format!("127.0.0.1:{dns}")])
            .env("PEBBLE_VA_NOSLEEP", "1")
            .env("PEBBLE_WFE_NONCEREJECT", "0")
            .env("PEBBLE_AUTHZREUSE", "0")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("pebble.log")).unwrap())
            .spawn()
            .expect("pebble");
        let started = Pebble {
            processes: vec![pebble, dns_server],
            directory: format!("https://127.0.0.1:{listen}/dir"),
            ca_file,
            ca_pem: ca.pem.clone(),
            management,
            _dir: dir,
        };
        let trusting = || {
            reqwest::Client::builder()
                .tls_built_in_root_certs(false)
                .add_root_certificate(reqwest::Certificate::from_pem(ca.pem.as_bytes()).unwrap())
                .build()
                .unwrap()
        };
        until_ok(trusting, &started.directory, "pebble did not start").await;
        Some(started)
    }

    /// The root that signs the certificates pebble issues (made anew at each start).
    pub async fn issuing_root(&self) -> String {
        reqwest::Client::builder()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(self.ca_pem.as_bytes()).unwrap())
            .build()
            .unwrap()
            .get(format!("https://127.0.0.1:{}/roots/0", self.management))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificates_come_over_acme_are_kept_and_renewed() {
    let (port, plain_port) = (free_port(), free_port());
    let Some(pebble) = Pebble::start(plain_port, free_port()).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (acme_dir, log) = (dir.path().join("acme"), dir.path().join("marquee.log"));
    let host = "tickets.festival.test";
    let database = dir.path().join("marquee.db");
    let env = |pebble: &Pebble, renew_days: &str| {
        [
            ("DATABASE_URL", database.to_str().unwrap().to_owned()),
            ("MARQUEE_BIND", format!("127.0.0.1:{port}")),
            ("MARQUEE_HTTP_BIND", format!("127.0.0.1:{plain_port}")),
            ("MARQUEE_ACME_DOMAINS", host.to_owned()),
            ("MARQUEE_ACME_DIRECTORY", pebble.directory.clone()),
            (
                "MARQUEE_ACME_ROOT_FILE",
                pebble.ca_file.to_str().unwrap().to_owned(),
            ),
            ("MARQUEE_ACME_CONTACT", "tech@festival.test".to_owned()),
            ("MARQUEE_ACME_DIR", acme_dir.to_str().unwrap().to_owned()),
            ("MARQUEE_ACME_RENEW_DAYS", renew_days.to_owned()),
            ("MARQUEE_ACME_CHECK_SECONDS", "2".to_owned()),
        ]
    };
    let first_env = env(&pebble, "30");
    let first_env: Vec<(&str, &str)> = first_env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut server = serve(&first_env, &log);
    let root = pebble.issuing_root().await;
    let origin = Origin {
        host,
        ca_pem: &root,
    };
    let base = format!("https://{host}:{port}");
    let issued = until_ok(
        || https_client(&origin, port),
        &format!("{base}/readyz"),
        "no certificate came over ACME",
    )
    .await;
    let first = peer_certificate(&issued);
    // Kept, owner-only: the account, the certificate, its key.
    let mut kept = std::fs::read_dir(&acme_dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            use std::os::unix::fs::PermissionsExt;
            let mode = e.metadata().unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{:?}", e.path());
            e.file_name().into_string().unwrap()
        })
        .collect::<Vec<_>>();
    kept.sort();
    // The certificate and its key in one file, replaced whole.
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept.contains(&"certificate.pem".to_owned()), "{kept:?}");
    assert!(kept[0].starts_with("account-"), "{kept:?}");
    // Plain HTTP redirects to the ACME name.
    let redirect = new_browser()
        .get(format!("http://127.0.0.1:{plain_port}/door"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        redirect.headers()["location"],
        format!("{base}/door").as_str()
    );
    drop(issued);
    signal(&server, libc::SIGTERM);
    assert!(exited(&mut server).await.success());

    // Started again, with pebble gone: the kept certificate is served at once.
    drop(pebble);
    let mut server = serve(&first_env, &log);
    let again = until_ok(
        || https_client(&origin, port),
        &format!("{base}/readyz"),
        "the kept certificate was not served",
    )
    .await;
    assert_eq!(peer_certificate(&again), first);
    drop(again);
    signal(&server, libc::SIGTERM);
    assert!(exited(&mut server).await.success());

    // Renewal: with a pebble again, and a certificate due (renewed 100,000 days before expiry,
    // so at each check), a new certificate replaces it without a restart.
    let Some(pebble) = Pebble::start(plain_port, free_port()).await else {
        return;
    };
    let renewing = env(&pebble, "100000");
    let renewing: Vec<(&str, &str)> = renewing.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut server = serve(&renewing, &log);
    let root = pebble.issuing_root().await;
    let origin = Origin {
        host,
        ca_pem: &root,
    };
    let started = Instant::now();
    let renewed = loop {
        if let Ok(response) = https_client(&origin, port)
            .get(format!("{base}/healthz"))
            .send()
            .await
        {
            break peer_certificate(&response);
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no certificate from the second pebble"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_ne!(renewed, first);
    signal(&server, libc::SIGTERM);
    assert!(exited(&mut server).await.success());
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("new certificate in use"), "{log}");
}
