//! Time and id formats API Gateway and Lambda use: request ids, trace ids, the access-log time
//! (`25/Nov/2026:06:11:59 +0000`), HTTP dates and millisecond epochs.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub fn epoch_millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u64,
    minute: u64,
    second: u64,
    weekday: u64,
}

fn civil(time: SystemTime) -> Civil {
    let seconds = epoch_millis(time) / 1000;
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rem = seconds % 86_400;
    // Days to civil date (Howard Hinnant's algorithm), valid for every date after 1970.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil {
        year,
        month,
        day,
        hour: rem / 3600,
        minute: (rem % 3600) / 60,
        second: rem % 60,
        // 1970-01-01 was a Thursday.
        weekday: (u64::try_from(days).unwrap_or(0) + 4) % 7,
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

fn month_name(month: u32) -> &'static str {
    MONTHS
        .get(usize::try_from(month.saturating_sub(1)).unwrap_or(0))
        .copied()
        .unwrap_or("Jan")
}

/// `requestContext.requestTime`: `25/Nov/2026:06:11:59 +0000`.
pub fn request_time(time: SystemTime) -> String {
    let c = civil(time);
    format!(
        "{:02}/{}/{}:{:02}:{:02}:{:02} +0000",
        c.day,
        month_name(c.month),
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// An HTTP `Date` header value: `Wed, 25 Nov 2026 06:11:59 GMT`.
pub fn http_date(time: SystemTime) -> String {
    let c = civil(time);
    let weekday = WEEKDAYS
        .get(usize::try_from(c.weekday).unwrap_or(0))
        .copied()
        .unwrap_or("Thu");
    format!(
        "{weekday}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        c.day,
        month_name(c.month),
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// A random version-4 UUID, the shape of API Gateway's and Lambda's request ids.
pub fn uuid() -> String {
    let high = fastrand::u64(..);
    let low = fastrand::u64(..);
    let bytes: Vec<u8> = high
        .to_be_bytes()
        .into_iter()
        .chain(low.to_be_bytes())
        .enumerate()
        .map(|(index, byte)| match index {
            6 => (byte & 0x0f) | 0x40,
            8 => (byte & 0x3f) | 0x80,
            _ => byte,
        })
        .collect();
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    let part = |from: usize, to: usize| hex.get(from..to).unwrap_or("");
    format!(
        "{}-{}-{}-{}-{}",
        part(0, 8),
        part(8, 12),
        part(12, 16),
        part(16, 20),
        part(20, 32)
    )
}

/// An X-Ray trace id: `Root=1-<8 hex seconds>-<24 hex random>`.
pub fn trace_id(time: SystemTime) -> String {
    let seconds = epoch_millis(time) / 1000;
    let random: String = (0..12)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect();
    format!("Root=1-{seconds:08x}-{random}")
}

/// The `extendedRequestId` / `x-amz-apigw-id` shape: 16 characters of base64-like text.
pub fn extended_request_id() -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut id: String = (0..15)
        .map(|_| {
            let index = fastrand::usize(..alphabet.len());
            char::from(*alphabet.get(index).unwrap_or(&b'A'))
        })
        .collect();
    id.push('=');
    id
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn formats_a_known_instant() {
        // 2020-03-12T19:03:58Z, the instant in AWS's payload 2.0 example.
        let time = UNIX_EPOCH + Duration::from_secs(1_584_039_838);
        assert_eq!(request_time(time), "12/Mar/2020:19:03:58 +0000");
        assert_eq!(http_date(time), "Thu, 12 Mar 2020 19:03:58 GMT");
    }

    #[test]
    fn uuids_have_the_v4_shape() {
        let id = uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(id.chars().nth(14), Some('4'));
    }
}
