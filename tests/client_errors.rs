//! Every kind of failure becomes an `ApiError` that shows the status, the
//! server's message, the request id when there is one and a hint, and never
//! the API key.

mod support;

use std::time::Duration;

use krafter::api::model::*;
use krafter::api::{ApiError, ApiKey, Client, ClientSettings};
use support::{KEY, Reply, ScriptedServer};

/// Display and Debug of an error, checked for the key.
fn shown(err: &ApiError) -> String {
    let text = format!("{err} | {err:?}");
    eprintln!("{text}");
    assert!(!text.contains(KEY), "the key leaked: {text}");
    assert!(
        !text.contains("SECRETxKEY"),
        "part of the key leaked: {text}"
    );
    text
}

#[tokio::test]
async fn the_bearer_key_is_sent_with_user_agent_and_accept() {
    let server = ScriptedServer::start().await;
    server.push(Reply::data(
        200,
        serde_json::json!({"id": "s1"}),
        serde_json::json!({}),
    ));
    server.client().get_scan("s1").await.unwrap();

    let req = &server.requests()[0];
    assert_eq!(
        req.headers["authorization"],
        format!("Bearer {KEY}").as_str()
    );
    let agent = req.headers["user-agent"].to_str().unwrap();
    assert!(agent.starts_with("krafter/"), "{agent}");
    assert!(
        req.headers["accept-encoding"]
            .to_str()
            .unwrap()
            .contains("gzip")
    );
    assert_eq!(req.path, support::audit("/scans/s1"));
}

#[tokio::test]
async fn flat_401_and_403_are_explained() {
    let server = ScriptedServer::start().await;
    server.push(Reply::json(
        401,
        serde_json::json!({"error": "Invalid or missing API key"}),
    ));
    server.push(Reply::json(
        403,
        serde_json::json!({"error": "Insufficient scope"}),
    ));
    let client = server.client();

    let err = client.command_center().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    let text = shown(&err);
    assert!(
        text.contains("HTTP 401: Invalid or missing API key"),
        "{text}"
    );
    assert!(text.contains("check the API key"), "{text}");

    let patch = FindingPatch {
        status: Some(FindingStatus::Triaged),
        ..FindingPatch::default()
    };
    let err = client.patch_finding("f1", &patch).await.unwrap_err();
    assert_eq!(err.server_message(), Some("Insufficient scope"));
    assert!(shown(&err).contains("audit:write"));
    assert_eq!(server.requests().len(), 2, "4xx answers are not retried");
}

#[tokio::test]
async fn envelope_404_and_422_keep_code_and_request_id() {
    let server = ScriptedServer::start().await;
    server.push(Reply::error(
        404,
        "not_found",
        "finding not found",
        "RID-404",
    ));
    server.push(Reply::error(
        422,
        "invalid_transition",
        "new can move to: triaged, dismissed",
        "RID-422",
    ));
    let client = server.client();

    let err = client.get_finding("nope").await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.request_id(), Some("RID-404"));
    assert!(shown(&err).contains("[request_id RID-404]"));

    let patch = FindingPatch {
        status: Some(FindingStatus::Resolved),
        ..FindingPatch::default()
    };
    let err = client.patch_finding("f1", &patch).await.unwrap_err();
    assert_eq!(err.code(), Some("invalid_transition"));
    let text = shown(&err);
    assert!(
        text.contains("HTTP 422 invalid_transition: new can move to: triaged, dismissed"),
        "{text}"
    );
    assert!(
        text.contains("RID-422") && text.contains("lifecycle"),
        "{text}"
    );
}

#[tokio::test]
async fn an_html_page_from_a_proxy_is_named_as_such() {
    let server = ScriptedServer::start().await;
    let page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>\
                <body><h1>Bad Gateway</h1></body></html>";
    server.push(Reply::raw(502, "text/html", page).header("x-request-id", "edge-7"));
    let mut settings = server.settings(0);
    settings.max_retries = 0;
    let client = Client::new(settings).unwrap();

    let err = client.command_center().await.unwrap_err();
    let text = shown(&err);
    assert!(text.contains("HTTP 502"), "{text}");
    assert!(
        text.contains("HTML page titled \"502 Bad Gateway\""),
        "{text}"
    );
    assert!(text.contains("[request_id edge-7]"), "{text}");
    assert!(
        !text.contains("<body>"),
        "the page itself is not dumped: {text}"
    );

    // A 200 with an HTML body (a captive portal) is a decode error.
    server.push(Reply::raw(200, "text/html", page));
    let err = client.command_center().await.unwrap_err();
    assert!(
        matches!(err, ApiError::Decode { status: 200, .. }),
        "{err:?}"
    );
    assert!(shown(&err).contains("HTML page"));
}

#[tokio::test]
async fn a_truncated_json_body_is_a_decode_error() {
    let server = ScriptedServer::start().await;
    let body = r#"{"data":[{"id":"f1","title":"Missing CSP"},{"id":"f2","ti"#;
    server.push(Reply::raw(200, "application/json", body));

    let err = server
        .client()
        .list_findings(&FindingQuery::default(), 0, 50)
        .await
        .unwrap_err();
    let text = shown(&err);
    assert!(
        matches!(err, ApiError::Decode { status: 200, .. }),
        "{err:?}"
    );
    assert!(
        text.contains("invalid JSON") && text.contains("EOF"),
        "{text}"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_a_connect_error() {
    let server = ScriptedServer::start().await;
    for _ in 0..3 {
        server.push(Reply::drop_connection());
    }
    let err = server.client().get_scan("s1").await.unwrap_err();
    assert!(matches!(err, ApiError::Connect { .. }), "{err:?}");
    let text = shown(&err);
    assert!(
        text.contains("127.0.0.1") && text.contains("closed before"),
        "{text}"
    );
    assert_eq!(
        server.requests().len(),
        3,
        "a GET is tried once and retried twice"
    );
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let key = ApiKey::new(KEY).unwrap();
    let mut settings = ClientSettings::new(format!("http://{addr}/api/v1"), "o", "p", key);
    settings.max_retries = 0;
    let err = Client::new(settings)
        .unwrap()
        .command_center()
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Connect { .. }), "{err:?}");
    assert!(shown(&err).contains("check the base URL"));
}

#[tokio::test]
async fn tls_to_a_plain_http_server_is_a_tls_error() {
    let server = ScriptedServer::start().await;
    let key = ApiKey::new(KEY).unwrap();
    let https = server.base_url.replace("http://", "https://");
    let mut settings = ClientSettings::new(https, "o", "p", key);
    settings.max_retries = 0;
    let err = Client::new(settings)
        .unwrap()
        .command_center()
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Tls { .. }), "{err:?}");
    assert!(shown(&err).contains("secure connection to 127.0.0.1 failed"));
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    // A listener that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let key = ApiKey::new(KEY).unwrap();
    let mut settings = ClientSettings::new(format!("http://{addr}/api/v1"), "o", "p", key);
    settings.request_timeout = Duration::from_millis(300);
    let err = Client::new(settings)
        .unwrap()
        .command_center()
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
    assert!(shown(&err).contains("timed out"));
}

#[tokio::test]
async fn a_key_echoed_by_the_server_is_redacted() {
    let server = ScriptedServer::start().await;
    let echo = format!("bad header Authorization: Bearer {KEY}");
    server.push(Reply::json(400, serde_json::json!({"error": echo})));
    server.push(Reply::error(422, "invalid_params", &echo, KEY));
    let client = server.client();
    for _ in 0..2 {
        let err = client.command_center().await.unwrap_err();
        assert!(shown(&err).contains("<redacted>"));
    }
}

#[tokio::test]
async fn an_empty_key_and_a_bad_base_url_are_refused_clearly() {
    let err = ApiKey::new("  ").unwrap_err();
    assert!(err.to_string().contains("empty"));
    let key = ApiKey::new(KEY).unwrap();
    let err = Client::new(ClientSettings::new(
        "http://audit.example.com/api/v1",
        "o",
        "p",
        key,
    ))
    .unwrap_err();
    let text = shown(&err);
    assert!(
        text.contains("refusing plain http://") && text.contains("https://"),
        "{text}"
    );
}

#[tokio::test]
async fn a_redirect_is_reported_not_followed() {
    let server = ScriptedServer::start().await;
    // Following it would send the key to whatever host the redirect names.
    server.push(Reply::raw(302, "text/plain", "").header("location", "http://elsewhere.test/"));
    let err = server.client().command_center().await.unwrap_err();
    assert_eq!(err.status(), Some(302));
    assert!(shown(&err).contains("redirected"));
    assert_eq!(server.requests().len(), 1);
}
