//! The requests of a page, from the DevTools network events chromedriver
//! logs as its `performance` log.

use serde_json::Value as Json;

/// One request a page made.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Request {
    /// The URL requested (the last one, after redirects).
    pub url: String,
    /// DevTools' resource type: `Document`, `Script`, `Stylesheet`, `Font`…
    pub kind: String,
    /// The HTTP status, once a response arrived.
    pub status: Option<u16>,
    /// Bytes received for it (headers and body as sent, DevTools'
    /// `encodedDataLength`), once it finished.
    pub transferred: Option<u64>,
    /// Why it failed (`net::ERR_…`), if it did.
    pub failure: Option<String>,
    /// Whether the browser itself cancelled it (a navigation away, a
    /// superseded fetch): not a failure of the site.
    pub canceled: bool,
}

impl Request {
    /// Whether the request failed or was answered with an error status.
    pub(crate) fn failed(&self) -> bool {
        (self.failure.is_some() && !self.canceled) || self.status.is_some_and(|s| s >= 400)
    }

    /// Whether it left `origin` (`http://127.0.0.1:PORT`). `data:`, `blob:`
    /// and `about:` URLs are the page's own.
    pub(crate) fn leaves(&self, origin: &str) -> bool {
        let local = ["data:", "blob:", "about:"];
        if local.iter().any(|scheme| self.url.starts_with(scheme)) {
            return false;
        }
        let rest = self.url.strip_prefix(origin);
        !rest.is_some_and(|r| r.is_empty() || r.starts_with('/'))
    }
}

/// The requests of the page `target` (a DevTools target id) in `entries`
/// (chromedriver `performance` log entries, whose `message` is a JSON string
/// `{"message": {"method", "params"}, "webview": target}`), in the order
/// they started. Other targets' events (Chromium's own pages, such as the
/// new-tab page it opens at start) are left out.
pub(crate) fn requests(entries: &[Json], target: &str) -> Vec<Request> {
    let mut ids: Vec<String> = Vec::new();
    let mut found: Vec<Request> = Vec::new();
    for entry in entries {
        let Some(text) = entry["message"].as_str() else {
            continue;
        };
        let Ok(message) = serde_json::from_str::<Json>(text) else {
            continue;
        };
        if message["webview"].as_str() != Some(target) {
            continue;
        }
        let event = &message["message"];
        let params = &event["params"];
        let Some(id) = params["requestId"].as_str() else {
            continue;
        };
        let index = match ids.iter().position(|known| known == id) {
            Some(index) => index,
            None => {
                ids.push(id.to_string());
                found.push(Request {
                    url: String::new(),
                    kind: String::new(),
                    status: None,
                    transferred: None,
                    failure: None,
                    canceled: false,
                });
                found.len() - 1
            }
        };
        let request = &mut found[index];
        match event["method"].as_str().unwrap_or_default() {
            "Network.requestWillBeSent" => {
                if let Some(url) = params["request"]["url"].as_str() {
                    request.url = url.to_string();
                }
                if let Some(kind) = params["type"].as_str() {
                    request.kind = kind.to_string();
                }
            }
            "Network.responseReceived" => {
                request.status = params["response"]["status"]
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok());
                if request.url.is_empty()
                    && let Some(url) = params["response"]["url"].as_str()
                {
                    request.url = url.to_string();
                }
                if let Some(kind) = params["type"].as_str() {
                    request.kind = kind.to_string();
                }
            }
            "Network.loadingFinished" => {
                request.transferred = params["encodedDataLength"].as_f64().map(|n| n as u64);
            }
            "Network.loadingFailed" => {
                request.failure =
                    Some(params["errorText"].as_str().unwrap_or("failed").to_string());
                request.canceled = params["canceled"].as_bool().unwrap_or(false);
            }
            _ => {}
        }
    }
    // Events about requests whose start was not logged (a previous page's)
    // carry no URL; they are not this page's.
    found.retain(|r| !r.url.is_empty());
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(method: &str, params: Json) -> Json {
        entry_of("page", method, params)
    }

    fn entry_of(target: &str, method: &str, params: Json) -> Json {
        let message =
            json!({ "message": { "method": method, "params": params }, "webview": target });
        json!({ "message": message.to_string() })
    }

    #[test]
    fn joins_the_events_of_each_request() {
        let entries = [
            entry(
                "Network.requestWillBeSent",
                json!({ "requestId": "1", "type": "Document", "request": { "url": "http://127.0.0.1:1/a.html" } }),
            ),
            entry(
                "Network.requestWillBeSent",
                json!({ "requestId": "2", "type": "Font", "request": { "url": "https://fonts.example/x.woff2" } }),
            ),
            entry(
                "Network.responseReceived",
                json!({ "requestId": "1", "type": "Document", "response": { "status": 200, "url": "http://127.0.0.1:1/a.html" } }),
            ),
            entry(
                "Network.loadingFinished",
                json!({ "requestId": "1", "encodedDataLength": 1234.0 }),
            ),
            entry(
                "Network.loadingFailed",
                json!({ "requestId": "2", "errorText": "net::ERR_NAME_NOT_RESOLVED", "canceled": false }),
            ),
            entry(
                "Network.loadingFinished",
                json!({ "requestId": "old", "encodedDataLength": 9.0 }),
            ),
            entry_of(
                "new-tab",
                "Network.requestWillBeSent",
                json!({ "requestId": "3", "type": "Script", "request": { "url": "chrome://resources/x.js" } }),
            ),
        ];
        let requests = requests(&entries, "page");
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].status, Some(200));
        assert_eq!(requests[0].transferred, Some(1234));
        assert!(!requests[0].failed());
        assert!(!requests[0].leaves("http://127.0.0.1:1"));
        assert!(requests[1].failed());
        assert!(requests[1].leaves("http://127.0.0.1:1"));
    }

    #[test]
    fn another_port_is_another_origin() {
        let request = Request {
            url: "http://127.0.0.1:10/x".into(),
            kind: "Script".into(),
            status: Some(200),
            transferred: None,
            failure: None,
            canceled: false,
        };
        assert!(request.leaves("http://127.0.0.1:1"));
        assert!(!request.leaves("http://127.0.0.1:10"));
    }
}
