//! [`Header`]: one field line, as Zig's `std.http.Header` (`http.zig:310-313`).

use super::BodyError;

/// A header or trailer field: `name: value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'h> {
    /// The field name; must be an HTTP token (RFC 9110 section 5.6.2).
    pub name: &'h str,
    /// The field value: visible ASCII, bytes 0x80 and above (`obs-text`),
    /// and spaces or tabs between them (RFC 9110 section 5.5).
    ///
    pub value: &'h str,
}

impl<'h> Header<'h> {
    /// A field `name: value` (not validated until it is written).
    pub const fn new(name: &'h str, value: &'h str) -> Header<'h> {
        Header { name, value }
    }

    /// Checks that the field can be written as one line without changing
    /// the message's structure.
    ///
    /// # Errors
    /// [`BodyError::InvalidTrailer`] naming the field if the name is empty
    /// or holds a byte that is not a token character, or if the value holds
    /// a control character other than tab (CR, LF, NUL, ESC, DEL, ...) or
    /// begins or ends with a space or tab (a parser would drop them). RFC
    /// 9110's `field-value` allows exactly the rest.
    pub fn validate(&self) -> Result<(), BodyError> {
        let invalid = |reason| BodyError::InvalidTrailer {
            name: self.name.to_owned(),
            reason,
        };
        if self.name.is_empty() {
            return Err(invalid("empty field name"));
        }
        if !self.name.bytes().all(is_tchar) {
            return Err(invalid("field name is not an HTTP token"));
        }
        if self.value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(invalid("field value contains CR, LF or NUL"));
        }
        if let Some(b) = self
            .value
            .bytes()
            .find(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            return Err(BodyError::InvalidTrailer {
                name: self.name.to_owned(),
                reason: control_reason(b),
            });
        }
        if self.value.starts_with([' ', '\t']) || self.value.ends_with([' ', '\t']) {
            return Err(invalid(
                "field value begins or ends with a space or tab, which a parser drops",
            ));
        }
        Ok(())
    }
}

/// The reason for a control byte in a field value, naming the byte.
fn control_reason(b: u8) -> &'static str {
    const REASONS: [&str; 32] = [
        "field value contains the control character NUL (0x00)",
        "field value contains the control character SOH (0x01)",
        "field value contains the control character STX (0x02)",
        "field value contains the control character ETX (0x03)",
        "field value contains the control character EOT (0x04)",
        "field value contains the control character ENQ (0x05)",
        "field value contains the control character ACK (0x06)",
        "field value contains the control character BEL (0x07)",
        "field value contains the control character BS (0x08)",
        "field value contains the control character HT (0x09)",
        "field value contains the control character LF (0x0a)",
        "field value contains the control character VT (0x0b)",
        "field value contains the control character FF (0x0c)",
        "field value contains the control character CR (0x0d)",
        "field value contains the control character SO (0x0e)",
        "field value contains the control character SI (0x0f)",
        "field value contains the control character DLE (0x10)",
        "field value contains the control character DC1 (0x11)",
        "field value contains the control character DC2 (0x12)",
        "field value contains the control character DC3 (0x13)",
        "field value contains the control character DC4 (0x14)",
        "field value contains the control character NAK (0x15)",
        "field value contains the control character SYN (0x16)",
        "field value contains the control character ETB (0x17)",
        "field value contains the control character CAN (0x18)",
        "field value contains the control character EM (0x19)",
        "field value contains the control character SUB (0x1a)",
        "field value contains the control character ESC (0x1b)",
        "field value contains the control character FS (0x1c)",
        "field value contains the control character GS (0x1d)",
        "field value contains the control character RS (0x1e)",
        "field value contains the control character US (0x1f)",
    ];
    match REASONS.get(usize::from(b)) {
        Some(reason) => reason,
        None => "field value contains the control character DEL (0x7f)",
    }
}

/// `tchar` of RFC 9110 section 5.6.2.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation() {
        assert!(Header::new("X-Checksum", "abc def\t1").validate().is_ok());
        for (name, value) in [("", "v"), ("a b", "v"), ("a:b", "v"), ("ok", "x\r\ny: z")] {
            let err = Header::new(name, value).validate().unwrap_err();
            assert!(
                matches!(&err, BodyError::InvalidTrailer { name: n, .. } if n == name),
                "{err:?}"
            );
        }
    }
}
