//! A JSON Schema (draft-07) validator for the keywords the SARIF 2.1.0
//! schema uses: `$ref` to `#/definitions/...`, `type`, `enum`,
//! `properties`, `additionalProperties`, `required`, `items`, `minItems`,
//! `uniqueItems`, `minimum`, `maximum`, `pattern`, `format` (uri,
//! uri-reference, date-time), `anyOf` and `oneOf`. A keyword it does not
//! know fails the validation, so the schema can never be half checked.
//!
//! `tests/fixtures/sarif-schema-2.1.0.json` is the OASIS SARIF 2.1.0 JSON
//! schema, vendored unchanged.

#![allow(dead_code)]

use serde_json::Value;

/// Validates `value` against `schema`; every error with its JSON path.
pub fn validate(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, value, "$", &mut errors);
    errors
}

const IGNORED: &[&str] = &["$schema", "$id", "title", "description", "default"];

fn check(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{path}: not allowed"));
        }
        return;
    };
    for (keyword, rule) in schema {
        match keyword.as_str() {
            k if IGNORED.contains(&k) => {}
            "definitions" => {}
            "$ref" => {
                let target = rule
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/"))
                    .map(|r| r.split('/').try_fold(root, |v, part| v.get(part)));
                match target.flatten() {
                    Some(target) => check(root, target, value, path, errors),
                    None => errors.push(format!("{path}: unresolvable $ref {rule}")),
                }
            }
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                if !types.iter().any(|t| has_type(value, t)) {
                    errors.push(format!("{path}: expected {types:?}, found {value}"));
                }
            }
            "enum" => {
                if !rule.as_array().is_some_and(|a| a.contains(value)) {
                    errors.push(format!("{path}: {value} is not one of {rule}"));
                }
            }
            "properties" => {
                if let (Some(props), Some(obj)) = (rule.as_object(), value.as_object()) {
                    for (name, sub) in props {
                        if let Some(v) = obj.get(name) {
                            check(root, sub, v, &format!("{path}.{name}"), errors);
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(obj) = value.as_object() {
                    let known = schema.get("properties").and_then(Value::as_object);
                    for (name, v) in obj {
                        if known.is_some_and(|k| k.contains_key(name)) {
                            continue;
                        }
                        match rule {
                            Value::Bool(false) => {
                                errors.push(format!("{path}: property {name:?} is not allowed"))
                            }
                            Value::Bool(true) => {}
                            sub => check(root, sub, v, &format!("{path}.{name}"), errors),
                        }
                    }
                }
            }
            "required" => {
                if let Some(obj) = value.as_object() {
                    for name in rule
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                    {
                        if !obj.contains_key(name) {
                            errors.push(format!("{path}: {name:?} is required"));
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = value.as_array() {
                    for (i, item) in items.iter().enumerate() {
                        check(root, rule, item, &format!("{path}[{i}]"), errors);
                    }
                }
            }
            "minItems" => {
                if let (Some(min), Some(items)) = (rule.as_u64(), value.as_array())
                    && (items.len() as u64) < min
                {
                    errors.push(format!("{path}: fewer than {min} items"));
                }
            }
            "uniqueItems" => {
                if rule == &Value::Bool(true)
                    && let Some(items) = value.as_array()
                {
                    for (i, a) in items.iter().enumerate() {
                        if items[..i].contains(a) {
                            errors.push(format!("{path}[{i}]: duplicate item"));
                        }
                    }
                }
            }
            "minimum" | "maximum" => {
                if let (Some(limit), Some(n)) = (rule.as_f64(), value.as_f64()) {
                    let bad = if keyword == "minimum" {
                        n < limit
                    } else {
                        n > limit
                    };
                    if bad {
                        errors.push(format!("{path}: {n} is outside its {keyword} {limit}"));
                    }
                }
            }
            "pattern" => {
                if let (Some(p), Some(s)) = (rule.as_str(), value.as_str()) {
                    match regex::Regex::new(p) {
                        Ok(re) if re.is_match(s) => {}
                        Ok(_) => errors.push(format!("{path}: {s:?} does not match {p}")),
                        Err(e) => errors.push(format!("{path}: bad pattern {p}: {e}")),
                    }
                }
            }
            "format" => {
                if let (Some(f), Some(s)) = (rule.as_str(), value.as_str()) {
                    let ok = match f {
                        "uri" => url::Url::parse(s).is_ok(),
                        "uri-reference" => {
                            url::Url::parse(s).is_ok()
                                || url::Url::parse("http://base.invalid/")
                                    .and_then(|b| b.join(s))
                                    .is_ok()
                        }
                        "date-time" => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
                        other => {
                            errors.push(format!("{path}: unknown format {other}"));
                            true
                        }
                    };
                    if !ok {
                        errors.push(format!("{path}: {s:?} is not a valid {f}"));
                    }
                }
            }
            "anyOf" | "oneOf" => {
                let branches = rule.as_array().cloned().unwrap_or_default();
                let passing = branches
                    .iter()
                    .filter(|b| {
                        let mut sub = Vec::new();
                        check(root, b, value, path, &mut sub);
                        sub.is_empty()
                    })
                    .count();
                let ok = if keyword == "anyOf" {
                    passing >= 1
                } else {
                    passing == 1
                };
                if !ok {
                    errors.push(format!("{path}: {passing} branches of {keyword} match"));
                }
            }
            other => errors.push(format!("{path}: the validator does not know {other:?}")),
        }
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        _ => false,
    }
}
