//! Reading a Lambda proxy result as API Gateway reads it. Payload 1.0 accepts exactly
//! `statusCode`, `headers`, `multiValueHeaders`, `body` and `isBase64Encoded` (recorded: an
//! unknown key, a non-list multi-value header, a non-numeric status or a bare string give the
//! malformed-response error); payload 2.0 infers a response from any other valid JSON.

use base64::Engine;
use serde_json::Value;

/// A response read from a function, before the gateway adds its own headers.
#[derive(Clone, Debug, PartialEq)]
pub struct ProxyResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as the function gave it (base64 text when `is_base64_encoded`).
    pub body: Vec<u8>,
    /// The function flagged its body as base64; the caller decides whether to decode it.
    pub is_base64_encoded: bool,
    /// The function set `Content-Type` to null: no default content type is added.
    pub content_type_null: bool,
}

impl ProxyResponse {
    /// Turns a base64-flagged body into its bytes.
    pub fn decode_body(&mut self) -> Result<(), Malformed> {
        if self.is_base64_encoded {
            let text = String::from_utf8_lossy(&self.body).into_owned();
            self.body = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|error| Malformed(format!("body is not valid base64: {error}")))?;
            self.is_base64_encoded = false;
        }
        Ok(())
    }
}

/// Why a result is not a valid proxy response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed(pub String);

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn status_code(value: Option<&Value>) -> Result<u16, Malformed> {
    let status = match value {
        None | Some(Value::Null) => return Ok(200),
        Some(Value::Number(number)) => number
            .as_u64()
            .or_else(|| {
                number
                    .as_f64()
                    .filter(|float| float.fract() == 0.0 && *float >= 0.0)
                    .map(|float| float as u64)
            })
            .ok_or_else(|| Malformed(format!("statusCode {number} is not an integer")))?,
        Some(Value::String(text)) => text
            .trim()
            .parse::<u64>()
            .map_err(|_| Malformed(format!("statusCode `{text}` is not a number")))?,
        Some(other) => return Err(Malformed(format!("statusCode {other} is not a number"))),
    };
    u16::try_from(status)
        .ok()
        .filter(|status| (100..=599).contains(status))
        .ok_or_else(|| Malformed(format!("statusCode {status} is not an HTTP status")))
}

/// Adds `value` under `name`, sharing the first spelling of a name seen in any case.
fn push_header(headers: &mut Vec<(String, String)>, name: &str, value: String) {
    let spelling = headers
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map_or_else(|| name.to_string(), |(known, _)| known.clone());
    headers.push((spelling, value));
}

/// Payload 1.0 (REST and HTTP APIs).
pub fn read_v1(payload: &[u8]) -> Result<ProxyResponse, Malformed> {
    let value: Value =
        serde_json::from_slice(payload).map_err(|error| Malformed(format!("not JSON: {error}")))?;
    let Value::Object(object) = value else {
        return Err(Malformed("not a JSON object".to_string()));
    };
    for key in object.keys() {
        if !matches!(
            key.as_str(),
            "statusCode" | "headers" | "multiValueHeaders" | "body" | "isBase64Encoded"
        ) {
            return Err(Malformed(format!("unexpected field `{key}`")));
        }
    }
    let status = status_code(object.get("statusCode"))?;
    let mut headers = Vec::new();
    // Multi-value headers come first; a single-value header of the same name is appended.
    match object.get("multiValueHeaders") {
        None | Some(Value::Null) => {}
        Some(Value::Object(multi)) => {
            for (name, values) in multi {
                let Value::Array(values) = values else {
                    return Err(Malformed(format!("multiValueHeaders.{name} is not a list")));
                };
                for value in values {
                    let text = scalar_text(value).ok_or_else(|| {
                        Malformed(format!("multiValueHeaders.{name} holds {value}"))
                    })?;
                    push_header(&mut headers, name, text);
                }
            }
        }
        Some(_) => return Err(Malformed("multiValueHeaders is not an object".to_string())),
    }
    let mut content_type_null = false;
    match object.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(single)) => {
            for (name, value) in single {
                if value.is_null() {
                    content_type_null |= name.eq_ignore_ascii_case("content-type");
                    continue;
                }
                let text = scalar_text(value)
                    .ok_or_else(|| Malformed(format!("headers.{name} holds {value}")))?;
                push_header(&mut headers, name, text);
            }
        }
        Some(_) => return Err(Malformed("headers is not an object".to_string())),
    }
    let is_base64 = match object.get("isBase64Encoded") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(flag)) => *flag,
        Some(Value::String(text)) => text.eq_ignore_ascii_case("true"),
        Some(other) => return Err(Malformed(format!("isBase64Encoded is {other}"))),
    };
    let body = match object.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) => text.as_bytes().to_vec(),
        Some(other) => return Err(Malformed(format!("body is {other}, not a string"))),
    };
    Ok(ProxyResponse {
        status,
        headers,
        body,
        is_base64_encoded: is_base64,
        content_type_null,
    })
}

/// Payload 2.0 (HTTP APIs): a JSON object with `statusCode` is read as a response; any other
/// valid JSON is the body of a 200 `application/json` response.
pub fn read_v2(payload: &[u8]) -> Result<ProxyResponse, Malformed> {
    let value: Value =
        serde_json::from_slice(payload).map_err(|error| Malformed(format!("not JSON: {error}")))?;
    let structured = value
        .as_object()
        .filter(|object| object.contains_key("statusCode"));
    let Some(object) = structured else {
        return Ok(ProxyResponse {
            status: 200,
            headers: vec![("content-type".to_string(), "application/json".to_string())],
            body: payload.to_vec(),
            is_base64_encoded: false,
            content_type_null: false,
        });
    };
    let status = status_code(object.get("statusCode"))?;
    let mut headers = Vec::new();
    match object.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(single)) => {
            for (name, value) in single {
                if let Some(text) = scalar_text(value) {
                    push_header(&mut headers, name, text);
                }
            }
        }
        Some(_) => return Err(Malformed("headers is not an object".to_string())),
    }
    if let Some(Value::Array(cookies)) = object.get("cookies") {
        for cookie in cookies.iter().filter_map(scalar_text) {
            headers.push(("set-cookie".to_string(), cookie));
        }
    }
    let is_base64 = matches!(object.get("isBase64Encoded"), Some(Value::Bool(true)));
    let body = match object.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) => text.as_bytes().to_vec(),
        // A non-string body is sent as its JSON text.
        Some(other) => other.to_string().into_bytes(),
    };
    Ok(ProxyResponse {
        status,
        headers,
        body,
        is_base64_encoded: is_base64,
        content_type_null: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_multi_value_and_single_headers_under_the_first_spelling() {
        let payload = br#"{"statusCode": 200, "multiValueHeaders": {"tesT-Multi": ["value-multi"]}, "headers": {"test-multi": "value-solo"}}"#;
        let response = read_v1(payload).unwrap();
        assert_eq!(
            response.headers,
            vec![
                ("tesT-Multi".to_string(), "value-multi".to_string()),
                ("tesT-Multi".to_string(), "value-solo".to_string()),
            ]
        );
    }

    #[test]
    fn a_null_content_type_is_remembered() {
        let response =
            read_v1(br#"{"statusCode": 204, "headers": {"Content-Type": null}}"#).unwrap();
        assert!(response.content_type_null);
        assert!(response.headers.is_empty());
    }

    #[test]
    fn v1_refuses_unknown_fields_and_bare_strings() {
        assert!(read_v1(br#"{"statusCode": 200, "wrongValue": "value"}"#).is_err());
        assert!(read_v1(br#""justAString""#).is_err());
        assert!(read_v1(br#"{"statusCode": "test"}"#).is_err());
        assert_eq!(read_v1(br#"{"statusCode": "201"}"#).unwrap().status, 201);
    }

    #[test]
    fn v2_infers_a_response_from_plain_json() {
        let response = read_v2(br#"{"hello": "world"}"#).unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.body, br#"{"hello": "world"}"#.to_vec());
        assert!(read_v2(b"not json").is_err());
    }
}
