//! The `url-mismatch` check: every URL and e-mail address of the source
//! must stand in the target unchanged.

/// The URLs (`http://`, `https://`, `ftp://`, `www.`) and e-mail addresses
/// of `text`, in order, without the sentence punctuation after them.
pub fn find(text: &str) -> Vec<&str> {
    let is_url_char = |c: char| c.is_ascii_graphic() && !"<>\"'`{}|\\^".contains(c);
    let mut found: Vec<(usize, &str)> = Vec::new();
    let mut covered = 0;
    for (start, _) in text.char_indices() {
        if start < covered {
            continue;
        }
        let rest = &text[start..];
        let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
        let boundary = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if boundary
            && ["http://", "https://", "ftp://", "www."]
                .iter()
                .any(|p| lower.starts_with(p))
        {
            let len = rest.find(|c: char| !is_url_char(c)).unwrap_or(rest.len());
            let url = trim_url(&rest[..len]);
            if url.len() > 4 {
                found.push((start, url));
                covered = start + url.len();
            }
        }
    }
    for (at, _) in text.match_indices('@') {
        let local_len = text[..at]
            .chars()
            .rev()
            .take_while(|&c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
            .count();
        let domain_len = text[at + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || ".-".contains(c)))
            .unwrap_or(text.len() - at - 1);
        let start = at - local_len;
        let domain = text[at + 1..at + 1 + domain_len].trim_end_matches(['.', '-']);
        let in_url = found.iter().any(|&(s, u)| (s..s + u.len()).contains(&at));
        if local_len > 0 && !in_url && domain.contains('.') {
            found.push((start, &text[start..at + 1 + domain.len()]));
        }
    }
    found.sort_by_key(|&(at, _)| at);
    found.into_iter().map(|(_, u)| u).collect()
}

/// A URL without the punctuation that ends the sentence around it.
fn trim_url(url: &str) -> &str {
    let mut url = url.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    while url.ends_with(')') && url.matches('(').count() < url.matches(')').count() {
        url = url[..url.len() - 1].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    }
    url
}

/// The URLs and e-mail addresses of `source` that `target` lacks, as flag
/// details (`www.mlr.gov.cn missing`, or `… altered to …` when the target
/// has one the source has not).
pub fn missing(source: &str, target: &str) -> Vec<String> {
    let wanted = find(source);
    if wanted.is_empty() {
        return Vec::new();
    }
    let have = find(target);
    let mut extra = have.iter().filter(|u| !wanted.contains(u));
    wanted
        .iter()
        .filter(|u| !target.contains(**u))
        .map(|u| match extra.next() {
            Some(other) => format!("{u} altered to {other}"),
            None => format!("{u} missing"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_urls_and_addresses() {
        assert_eq!(
            find("见http://www.mlr.gov.cn/a?b=1.或写信给 info@mlr.gov.cn."),
            ["http://www.mlr.gov.cn/a?b=1", "info@mlr.gov.cn"]
        );
        assert_eq!(find("(see www.example.com)"), ["www.example.com"]);
    }

    #[test]
    fn missing_or_altered() {
        assert!(missing("见www.mlr.gov.cn.", "See www.mlr.gov.cn.").is_empty());
        assert_eq!(
            missing("见www.mlr.gov.cn.", "See www.mlr.gov.com."),
            ["www.mlr.gov.cn altered to www.mlr.gov.com"]
        );
        assert_eq!(missing("写信给a@b.cn", "Write to us."), ["a@b.cn missing"]);
    }
}
