//! A small fake Telegram Bot API server on 127.0.0.1, so the bot runs for
//! real (long polling included) without the network. It serves the
//! methods the bot calls, records every call, and can be told to answer a
//! method with an error once.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use tokio::sync::Notify;

/// The bot's own user, as getMe reports it.
pub const BOT_ID: i64 = 4242;
pub const BOT_USERNAME: &str = "ir_advisor_test_bot";

/// The longest a getUpdates call is held open, whatever timeout the bot
/// asks for, so that stopping the bot in a test takes a moment, not 10 s.
const LONG_POLL_CAP: Duration = Duration::from_millis(500);

/// One request the bot made.
#[derive(Clone, Debug)]
pub struct Call {
    /// The method name, lowercased (teloxide sends `SendMessage`).
    pub method: String,
    /// The token in the request path.
    pub token: String,
    pub body: Value,
}

/// An error the server answers with instead of the method's result.
#[derive(Clone, Debug)]
pub struct Fault {
    pub status: u16,
    pub description: String,
    pub retry_after: Option<u64>,
}

impl Fault {
    pub fn too_many_requests(retry_after: u64) -> Fault {
        Fault {
            status: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            retry_after: Some(retry_after),
        }
    }
}

#[derive(Default)]
struct Inner {
    updates: Vec<Value>,
    next_update_id: i64,
    next_message_id: i64,
    calls: Vec<Call>,
    faults: VecDeque<(String, Fault)>,
}

#[derive(Default)]
struct State {
    inner: Mutex<Inner>,
    changed: Notify,
}

impl State {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap()
    }
}

pub struct FakeBotApi {
    state: Arc<State>,
    address: SocketAddr,
}

impl FakeBotApi {
    /// Starts the server on a free port of 127.0.0.1.
    pub async fn start() -> FakeBotApi {
        let state = Arc::new(State::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let served = state.clone();
        let app = axum::Router::new().fallback(move |uri: Uri, body: Bytes| {
            let state = served.clone();
            async move { handle(&state, &uri, &body).await }
        });
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeBotApi { state, address }
    }

    /// The URL to give `Bot::set_api_url`.
    pub fn url(&self) -> url::Url {
        format!("http://{}", self.address).parse().unwrap()
    }

    /// Queues an update for getUpdates, giving it the next update id.
    pub fn push_update(&self, mut update: Value) {
        let mut inner = self.state.lock();
        inner.next_update_id += 1;
        update["update_id"] = json!(inner.next_update_id);
        inner.updates.push(update);
        drop(inner);
        self.state.changed.notify_waiters();
    }

    /// Makes the next call of `method` fail with `fault`.
    pub fn fail_next(&self, method: &str, fault: Fault) {
        self.state
            .lock()
            .faults
            .push_back((method.to_ascii_lowercase(), fault));
    }

    pub fn calls(&self) -> Vec<Call> {
        self.state.lock().calls.clone()
    }

    pub fn calls_of(&self, method: &str) -> Vec<Call> {
        let method = method.to_ascii_lowercase();
        self.calls()
            .into_iter()
            .filter(|c| c.method == method)
            .collect()
    }

    /// Waits until the bot has made `count` calls of `method`, and returns
    /// them; fails the test after `limit`.
    pub async fn wait_for(&self, method: &str, count: usize, limit: Duration) -> Vec<Call> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let changed = self.state.changed.notified();
            let calls = self.calls_of(method);
            if calls.len() >= count {
                return calls;
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                panic!(
                    "waited {limit:?} for {count} {method} calls, saw {}; all calls: {:#?}",
                    calls.len(),
                    self.calls()
                );
            }
        }
    }
}

async fn handle(state: &State, uri: &Uri, body: &Bytes) -> Response {
    let mut segments = uri.path().trim_start_matches('/').splitn(2, '/');
    let token = segments.next().unwrap_or("").trim_start_matches("bot");
    let method = segments.next().unwrap_or("").to_ascii_lowercase();
    let body: Value = serde_json::from_slice(body).unwrap_or_else(|_| form_fields(body));
    let fault = {
        let mut inner = state.lock();
        inner.calls.push(Call {
            method: method.clone(),
            token: token.to_owned(),
            body: body.clone(),
        });
        let position = inner.faults.iter().position(|(m, _)| *m == method);
        position.and_then(|p| inner.faults.remove(p))
    };
    state.changed.notify_waiters();
    if let Some((_, fault)) = fault {
        return error_response(&fault);
    }
    let result = match method.as_str() {
        "getme" => bot_user(),
        "getupdates" => updates(state, &body).await,
        "sendmessage" => sent_message(state, &body, None),
        "editmessagetext" | "editmessagereplymarkup" => {
            sent_message(state, &body, body["message_id"].as_i64())
        }
        "answercallbackquery" | "setmycommands" | "setwebhook" | "deletewebhook" => json!(true),
        "getwebhookinfo" => {
            json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0})
        }
        _ => {
            return error_response(&Fault {
                status: 404,
                description: "Not Found: method not found".into(),
                retry_after: None,
            })
        }
    };
    Json(json!({"ok": true, "result": result})).into_response()
}

/// The text fields of a multipart/form-data body as a JSON object of
/// strings: teloxide sends the methods that can upload a file (setWebhook)
/// that way. The body's first line is its boundary.
fn form_fields(body: &[u8]) -> Value {
    let body = String::from_utf8_lossy(body);
    let Some(boundary) = body.lines().next().filter(|line| line.starts_with("--")) else {
        return Value::Null;
    };
    let fields = body.split(boundary).filter_map(|part| {
        let (head, value) = part.split_once("\r\n\r\n")?;
        let name = head.split("name=\"").nth(1)?.split('"').next()?;
        Some((name.to_owned(), json!(value.trim_end_matches("\r\n"))))
    });
    Value::Object(fields.collect())
}

fn error_response(fault: &Fault) -> Response {
    let mut body = json!({
        "ok": false,
        "error_code": fault.status,
        "description": fault.description,
    });
    if let Some(seconds) = fault.retry_after {
        body["parameters"] = json!({"retry_after": seconds});
    }
    let status = StatusCode::from_u16(fault.status).unwrap();
    (status, Json(body)).into_response()
}

fn bot_user() -> Value {
    json!({
        "id": BOT_ID,
        "is_bot": true,
        "first_name": "IR Advisor",
        "username": BOT_USERNAME,
        "can_join_groups": true,
        "can_read_all_group_messages": false,
        "supports_inline_queries": false,
        "can_connect_to_business": false,
        "has_main_web_app": false,
    })
}

/// The updates from `offset` on, held open until one arrives or the
/// (capped) timeout passes, as Telegram's long polling does. Asking from
/// `offset` confirms the updates before it: they are never sent again.
async fn updates(state: &State, body: &Value) -> Value {
    let offset = body["offset"].as_i64().unwrap_or(0);
    state
        .lock()
        .updates
        .retain(|u| u["update_id"].as_i64().unwrap() >= offset);
    let timeout = Duration::from_secs(body["timeout"].as_u64().unwrap_or(0)).min(LONG_POLL_CAP);
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let changed = state.changed.notified();
        let pending: Vec<Value> = state
            .lock()
            .updates
            .iter()
            .filter(|u| u["update_id"].as_i64().unwrap() >= offset)
            .cloned()
            .collect();
        if !pending.is_empty() || tokio::time::timeout_at(deadline, changed).await.is_err() {
            return Value::Array(pending);
        }
    }
}

fn sent_message(state: &State, body: &Value, edited: Option<i64>) -> Value {
    let message_id = edited.unwrap_or_else(|| {
        let mut inner = state.lock();
        inner.next_message_id += 1;
        inner.next_message_id
    });
    let mut message = json!({
        "message_id": message_id,
        "date": 1_700_000_000,
        "chat": {"id": body["chat_id"], "type": "private", "first_name": "Student"},
        "from": bot_user(),
        "text": body["text"],
    });
    if let Some(markup) = body.get("reply_markup") {
        message["reply_markup"] = markup.clone();
    }
    message
}

/// A student in a private chat, as Telegram describes them.
fn student(chat_id: i64, language_code: &str) -> Value {
    json!({"id": chat_id, "is_bot": false, "first_name": "Student", "language_code": language_code})
}

fn private_message(chat_id: i64, language_code: &str, content: Value) -> Value {
    let mut message = json!({
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": {"id": chat_id, "type": "private", "first_name": "Student"},
        "from": student(chat_id, language_code),
    });
    for (key, value) in content.as_object().unwrap() {
        message[key] = value.clone();
    }
    message
}

/// A text message from a student whose Telegram speaks `language_code`.
pub fn text_update(chat_id: i64, language_code: &str, text: &str) -> Value {
    json!({"message": private_message(chat_id, language_code, json!({"text": text}))})
}

/// A command, marked as Telegram marks one.
pub fn command_update(chat_id: i64, language_code: &str, command: &str) -> Value {
    let length = command.split(' ').next().unwrap().encode_utf16().count();
    let content = json!({
        "text": command,
        "entities": [{"type": "bot_command", "offset": 0, "length": length}],
    });
    json!({"message": private_message(chat_id, language_code, content)})
}

pub fn sticker_update(chat_id: i64, language_code: &str) -> Value {
    let sticker = json!({
        "file_id": "sticker-file", "file_unique_id": "sticker-unique", "type": "regular",
        "width": 512, "height": 512, "is_animated": false, "is_video": false, "emoji": "👍",
    });
    json!({"message": private_message(chat_id, language_code, json!({"sticker": sticker}))})
}

/// A press of a button with `data` under the bot's message `message_id`.
pub fn button_update(chat_id: i64, language_code: &str, message_id: i64, data: &str) -> Value {
    let mut message = private_message(chat_id, language_code, json!({"text": "menu"}));
    message["message_id"] = json!(message_id);
    message["from"] = bot_user();
    json!({"callback_query": {
        "id": format!("press-{chat_id}-{message_id}-{data}"),
        "from": student(chat_id, language_code),
        "message": message,
        "chat_instance": "instance",
        "data": data,
    }})
}

/// The callback data of every button in a sent message's inline keyboard.
pub fn button_data(call: &Call) -> Vec<String> {
    call.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().unwrap())
        .map(|button| button["callback_data"].as_str().unwrap().to_owned())
        .collect()
}
