//! A small fake Telegram Bot API server on 127.0.0.1, so the bot runs for
//! real (long polling included) without the network. It serves the
//! methods the bot calls, records every call, and can be told to
//! misbehave (a [`Fault`]) on the next calls of a method.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode, Uri};
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
    /// The fault the call was answered with; `None` when it was served.
    pub fault: Option<Fault>,
    /// When the call arrived.
    pub at: Instant,
}

impl Call {
    /// Whether the server did what the call asked (a slow answer too).
    pub fn served(&self) -> bool {
        matches!(self.fault, None | Some(Fault::Slow(_)))
    }
}

/// The longest a [`Fault::Stall`] holds a call: past any client timeout
/// the tests set.
const STALL: Duration = Duration::from_secs(60);

/// A way for the server to misbehave instead of answering a call.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// An error answer, as the Bot API words one.
    Status {
        status: u16,
        description: String,
        retry_after: Option<u64>,
    },
    /// A 200 whose body breaks off: the connection closes mid-response.
    CloseMidResponse,
    /// No answer at all for [`STALL`].
    Stall,
    /// The call is served, but only after this long: Telegram stalling
    /// and then delivering.
    Slow(Duration),
    /// A 200 whose body is not JSON.
    MalformedJson,
}

impl Fault {
    /// An error answer with `status` and its usual description.
    pub fn status(status: u16) -> Fault {
        let description = match status {
            409 => "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
            401 => "Unauthorized",
            403 => "Forbidden: bot was blocked by the user",
            404 => "Not Found",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            _ => "Unexpected error",
        };
        Fault::Status {
            status,
            description: description.into(),
            retry_after: None,
        }
    }

    pub fn too_many_requests(retry_after: u64) -> Fault {
        Fault::Status {
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
    /// The users getChatMember reports as a group's owner.
    admins: Vec<i64>,
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

    /// Makes getChatMember report `user` as the owner of any group.
    pub fn make_admin(&self, user: i64) {
        self.state.lock().admins.push(user);
    }

    /// Makes the next call of `method` meet `fault`; queued faults of one
    /// method are met in turn, one per call.
    pub fn fail_next(&self, method: &str, fault: Fault) {
        self.state
            .lock()
            .faults
            .push_back((method.to_ascii_lowercase(), fault));
    }

    pub fn calls(&self) -> Vec<Call> {
        self.state.lock().calls.clone()
    }

    /// The calls of `method` that were served (slowly or not), not
    /// faulted.
    pub fn served(&self, method: &str) -> Vec<Call> {
        let mut calls = self.calls_of(method);
        calls.retain(Call::served);
        calls
    }

    /// Forgets every call recorded so far and returns the served
    /// sendMessage ones, so a long run does not keep every call in memory.
    pub fn take_sent_messages(&self) -> Vec<Call> {
        let calls = std::mem::take(&mut self.state.lock().calls);
        calls
            .into_iter()
            .filter(|c| c.method == "sendmessage" && c.served())
            .collect()
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
        self.wait_until(limit, || {
            let calls = self.calls_of(method);
            (calls.len() >= count).then_some(calls)
        })
        .await
        .unwrap_or_else(|| {
            panic!(
                "waited {limit:?} for {count} {method} calls; all calls: {:#?}",
                self.calls()
            )
        })
    }

    /// Waits until `count` calls of `method` have been served.
    pub async fn wait_served(&self, method: &str, count: usize, limit: Duration) -> Vec<Call> {
        self.wait_until(limit, || {
            let calls = self.served(method);
            (calls.len() >= count).then_some(calls)
        })
        .await
        .unwrap_or_else(|| {
            panic!(
                "waited {limit:?} for {count} served {method} calls; all calls: {:#?}",
                self.calls()
            )
        })
    }

    /// Waits until a served sendMessage is `wanted`, and returns when it
    /// arrived.
    pub async fn wait_until_sent(
        &self,
        limit: Duration,
        wanted: impl Fn(&Call) -> bool,
    ) -> Instant {
        self.wait_until(limit, || {
            self.served("sendMessage")
                .into_iter()
                .find(|call| wanted(call))
                .map(|call| call.at)
        })
        .await
        .unwrap_or_else(|| {
            panic!(
                "waited {limit:?} for the message; all calls: {:#?}",
                self.calls()
            )
        })
    }

    /// Waits until the bot has confirmed every update pushed so far (a
    /// getUpdates from past the last one): Telegram would not send them
    /// again.
    pub async fn wait_confirmed(&self, limit: Duration) {
        let last = self.state.lock().next_update_id;
        self.wait_until(limit, || {
            self.calls_of("getUpdates")
                .iter()
                .any(|call| call.body["offset"].as_i64() > Some(last))
                .then_some(())
        })
        .await
        .unwrap_or_else(|| panic!("waited {limit:?} for the updates to be confirmed"));
    }

    /// Drops the queued faults no call has met yet.
    pub fn forget_faults(&self) {
        self.state.lock().faults.clear();
    }

    /// Waits until every queued fault of `method` has been met.
    pub async fn wait_faults_met(&self, method: &str, limit: Duration) {
        let method = method.to_ascii_lowercase();
        let met = || {
            let pending = self.state.lock().faults.iter().any(|(m, _)| *m == method);
            (!pending).then_some(())
        };
        self.wait_until(limit, met)
            .await
            .unwrap_or_else(|| panic!("waited {limit:?} for the {method} faults to be met"));
    }

    /// Checks `done` after every call until it gives a value, or `limit`
    /// passes.
    pub async fn wait_until<T>(
        &self,
        limit: Duration,
        mut done: impl FnMut() -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let changed = self.state.changed.notified();
            if let Some(value) = done() {
                return Some(value);
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return None;
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
        let position = inner.faults.iter().position(|(m, _)| *m == method);
        let fault = position
            .and_then(|p| inner.faults.remove(p))
            .map(|(_, f)| f);
        inner.calls.push(Call {
            method: method.clone(),
            token: token.to_owned(),
            body: body.clone(),
            fault: fault.clone(),
            at: Instant::now(),
        });
        fault
    };
    state.changed.notify_waiters();
    match fault {
        Some(Fault::Slow(delay)) => tokio::time::sleep(delay).await,
        Some(fault) => return misbehave(fault).await,
        None => {}
    }
    let result = match method.as_str() {
        "getme" => bot_user(),
        "getchatmember" => chat_member(state, &body),
        "getupdates" => updates(state, &body).await,
        "sendmessage" => sent_message(state, &body, None),
        "editmessagetext" | "editmessagereplymarkup" => {
            sent_message(state, &body, body["message_id"].as_i64())
        }
        "answercallbackquery"
        | "answerinlinequery"
        | "setmycommands"
        | "setwebhook"
        | "deletewebhook" => json!(true),
        "getwebhookinfo" => {
            json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0})
        }
        _ => return misbehave(Fault::status(404)).await,
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

async fn misbehave(fault: Fault) -> Response {
    match fault {
        Fault::Status {
            status,
            description,
            retry_after,
        } => {
            let mut body = json!({"ok": false, "error_code": status, "description": description});
            if let Some(seconds) = retry_after {
                body["parameters"] = json!({"retry_after": seconds});
            }
            (StatusCode::from_u16(status).unwrap(), Json(body)).into_response()
        }
        Fault::CloseMidResponse => {
            let broken: [Result<Bytes, std::io::Error>; 2] = [
                Ok(Bytes::from_static(br#"{"ok":true,"result":{"message_id""#)),
                Err(std::io::Error::other("connection dropped")),
            ];
            Body::from_stream(futures_util::stream::iter(broken)).into_response()
        }
        Fault::Stall => {
            tokio::time::sleep(STALL).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        Fault::Slow(_) => unreachable!("a slow call is served after its delay"),
        Fault::MalformedJson => (
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"ok":true,"result":[{"update_id":"#,
        )
            .into_response(),
    }
}

fn bot_user() -> Value {
    json!({
        "id": BOT_ID,
        "is_bot": true,
        "first_name": "IR Advisor",
        "username": BOT_USERNAME,
        "can_join_groups": true,
        "can_read_all_group_messages": false,
        "supports_inline_queries": true,
        "can_connect_to_business": false,
        "has_main_web_app": false,
    })
}

/// The most updates one getUpdates answer holds, as in the Bot API.
const UPDATES_PER_CALL: usize = 100;

/// The updates from `offset` on (at most `limit` of them), held open until
/// one arrives or the (capped) timeout passes, as Telegram's long polling
/// does. Asking from `offset` confirms the updates before it: they are
/// never sent again.
async fn updates(state: &State, body: &Value) -> Value {
    let offset = body["offset"].as_i64().unwrap_or(0);
    let limit = body["limit"].as_u64().map_or(UPDATES_PER_CALL, |l| {
        (l as usize).clamp(1, UPDATES_PER_CALL)
    });
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
            .take(limit)
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

/// A group member as getChatMember describes them: the owner when made an
/// admin, else a plain member.
fn chat_member(state: &State, body: &Value) -> Value {
    let user = body["user_id"].as_i64().unwrap_or_default();
    let user_json = json!({"id": user, "is_bot": false, "first_name": "Member"});
    match state.lock().admins.contains(&user) {
        true => json!({"status": "creator", "user": user_json, "is_anonymous": false}),
        false => json!({"status": "member", "user": user_json}),
    }
}

/// A message from `user` in the basic group `chat_id` (a negative id);
/// a text starting with `/` is marked as a command.
pub fn group_update(chat_id: i64, user: i64, text: &str) -> Value {
    let mut message = json!({
        "message_id": 77,
        "date": 1_700_000_000,
        "chat": {"id": chat_id, "type": "group", "title": "IR students"},
        "from": student(user, "en"),
        "text": text,
    });
    if text.starts_with('/') {
        let length = text.split(' ').next().unwrap().encode_utf16().count();
        message["entities"] = json!([{"type": "bot_command", "offset": 0, "length": length}]);
    }
    json!({"message": message})
}

/// A press by `user` of a button with `data` under the bot's message
/// `message_id` in the basic group `chat_id`.
pub fn group_button_update(chat_id: i64, user: i64, message_id: i64, data: &str) -> Value {
    json!({"callback_query": {
        "id": format!("press-{chat_id}-{user}-{message_id}-{data}"),
        "from": student(user, "en"),
        "message": {
            "message_id": message_id,
            "date": 1_700_000_000,
            "chat": {"id": chat_id, "type": "group", "title": "IR students"},
            "from": bot_user(),
            "text": "menu",
        },
        "chat_instance": "instance",
        "data": data,
    }})
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

/// An inline query `query` (typed after `@bot` in any chat) from user
/// `user_id`, whose Telegram speaks `language_code` when one is given; its
/// id is `inline-<user_id>-<serial>`.
pub fn inline_query_update(
    user_id: i64,
    language_code: Option<&str>,
    serial: u64,
    query: &str,
) -> Value {
    let mut from = json!({"id": user_id, "is_bot": false, "first_name": "Student"});
    if let Some(code) = language_code {
        from["language_code"] = json!(code);
    }
    json!({"inline_query": {
        "id": format!("inline-{user_id}-{serial}"),
        "from": from,
        "query": query,
        "offset": "",
        "chat_type": "sender",
    }})
}

/// The results an answerInlineQuery call lists.
pub fn inline_results(call: &Call) -> &[Value] {
    call.body["results"].as_array().map_or(&[], Vec::as_slice)
}
