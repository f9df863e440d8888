//! pax extended header records (POSIX.1-2001, `pax` utility, "pax Extended
//! Header"): `"<length> <keyword>=<value>\n"`, where the length counts the
//! whole record, its own digits included.

/// The records of one extended header, encoded.
#[derive(Default)]
pub(super) struct Records(Vec<u8>);

impl Records {
    /// Appends one record.
    pub(super) fn push(&mut self, key: &str, value: &[u8]) {
        // " ", "=", "\n" and the key and value, plus the length's own digits,
        // which may gain a digit when they are added (e.g. 98 -> 100).
        let base = key.len() + value.len() + 3;
        let mut len = base + digits(base);
        if digits(len) != digits(base) {
            len = base + digits(len);
        }
        self.0.extend_from_slice(len.to_string().as_bytes());
        self.0.push(b' ');
        self.0.extend_from_slice(key.as_bytes());
        self.0.push(b'=');
        self.0.extend_from_slice(value);
        self.0.push(b'\n');
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record's length prefix equals the record's length.
    fn check(records: &[u8]) {
        let mut rest = records;
        while !rest.is_empty() {
            let space = rest.iter().position(|&b| b == b' ').unwrap();
            let len: usize = std::str::from_utf8(&rest[..space])
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(rest[len - 1], b'\n');
            rest = &rest[len..];
        }
    }

    #[test]
    fn lengths_count_themselves_across_digit_boundaries() {
        for value_len in 0..1200 {
            let mut r = Records::default();
            r.push("path", "v".repeat(value_len).as_bytes());
            check(r.as_bytes());
            assert_eq!(r.as_bytes().len(), {
                let s = std::str::from_utf8(r.as_bytes()).unwrap();
                s.split(' ').next().unwrap().parse::<usize>().unwrap()
            });
        }
        let mut r = Records::default();
        r.push("path", b"a/b");
        assert_eq!(r.as_bytes(), b"12 path=a/b\n");
    }
}
