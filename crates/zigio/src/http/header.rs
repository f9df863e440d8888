//! [`Header`]: one field line, as Zig's `std.http.Header` (`http.zig:310-313`).

use super::BodyError;

/// A header or trailer field: `name: value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'h> {
    /// The field name; must be an HTTP token (RFC 9110 section 5.6.2).
    pub name: &'h str,
    /// The field value; must not contain CR, LF or NUL.
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
    /// CR, LF or NUL.
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
        Ok(())
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
