//! Parsing one target pattern into literal and wildcard segments.

use thiserror::Error;

/// One piece of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text the name must contain verbatim (adjacent literal text is merged into one segment).
    Literal(String),
    /// A wildcard, by index into [`Pattern::wildcards`]. The same index appears once per
    /// occurrence of the same name.
    Wildcard(usize),
}

/// A parsed target pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    segments: Vec<Segment>,
    wildcards: Vec<String>,
    /// `tail_min[i]`: lower bound on the byte length of the text matched by `segments[i..]`
    /// (its literals plus one byte per wildcard occurrence).
    tail_min: Vec<usize>,
}

impl Pattern {
    /// Parses `source` (see the crate documentation for the syntax).
    pub fn parse(source: &str) -> Result<Pattern, SyntaxError> {
        Parser::new(source).run()
    }

    /// The pattern text as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Wildcard names in order of first occurrence; `"%"` names GNU's stem.
    pub fn wildcards(&self) -> &[String] {
        &self.wildcards
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Literal text before the first wildcard ("" when the pattern starts with one).
    pub fn prefix(&self) -> &str {
        match self.segments.first() {
            Some(Segment::Literal(text)) => text,
            _ => "",
        }
    }

    /// Literal text after the last wildcard ("" when the pattern ends with one, and also ""
    /// for a pattern without wildcards, whose whole text is its prefix).
    pub fn suffix(&self) -> &str {
        if self.wildcards.is_empty() {
            return "";
        }
        match self.segments.last() {
            Some(Segment::Literal(text)) => text,
            _ => "",
        }
    }

    /// Lower bound on the byte length of any name that can match.
    pub fn min_len(&self) -> usize {
        self.tail_min[0]
    }

    /// Lower bound on the byte length matched by `segments()[i..]`; `i` may equal the
    /// number of segments (giving 0).
    pub fn tail_min(&self, i: usize) -> usize {
        self.tail_min[i]
    }

    /// True when the pattern has no wildcard and so matches exactly its own text.
    pub fn is_literal(&self) -> bool {
        self.wildcards.is_empty()
    }
}

/// Why a pattern could not be compiled. `offset` is a byte offset into the pattern text.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SyntaxError {
    #[error("the pattern is empty")]
    Empty,
    #[error(
        "more than one '%' (the second is at offset {offset}); a pattern has at most one stem"
    )]
    SecondStem { offset: usize },
    #[error("unterminated wildcard reference '{open}' at offset {offset} (missing '{close}')")]
    Unterminated {
        offset: usize,
        open: &'static str,
        close: char,
    },
    #[error("empty wildcard name in '{text}' at offset {offset}")]
    EmptyName { offset: usize, text: String },
    #[error(
        "'{text}' at offset {offset} is not a wildcard name (names contain no '$', brackets or \
         whitespace; function calls must be expanded before matching)"
    )]
    BadName { offset: usize, text: String },
    #[error("'$' at the end of the pattern (write '$$' for a literal '$')")]
    TrailingDollar,
    #[error("'$' followed by whitespace at offset {offset} (write '$$' for a literal '$')")]
    DollarSpace { offset: usize },
}

struct Parser<'a> {
    source: &'a str,
    segments: Vec<Segment>,
    wildcards: Vec<String>,
    literal: String,
    stem_seen: bool,
}

impl<'a> Parser<'a> {
    fn new(source: &'a str) -> Self {
        Parser {
            source,
            segments: Vec::new(),
            wildcards: Vec::new(),
            literal: String::new(),
            stem_seen: false,
        }
    }

    fn run(mut self) -> Result<Pattern, SyntaxError> {
        if self.source.is_empty() {
            return Err(SyntaxError::Empty);
        }
        let mut chars = self.source.char_indices().peekable();
        while let Some((offset, c)) = chars.next() {
            match c {
                '%' => {
                    if self.stem_seen {
                        return Err(SyntaxError::SecondStem { offset });
                    }
                    self.stem_seen = true;
                    self.wildcard("%");
                }
                '$' => match chars.next() {
                    None => return Err(SyntaxError::TrailingDollar),
                    Some((_, '$')) => self.literal.push('$'),
                    Some((_, open @ ('(' | '{'))) => {
                        let close = if open == '(' { ')' } else { '}' };
                        let start = offset + 2;
                        let Some(len) = self.source[start..].find(close) else {
                            return Err(SyntaxError::Unterminated {
                                offset,
                                open: if open == '(' { "$(" } else { "${" },
                                close,
                            });
                        };
                        let name = &self.source[start..start + len];
                        let text = &self.source[offset..start + len + 1];
                        if name.is_empty() {
                            return Err(SyntaxError::EmptyName {
                                offset,
                                text: text.to_string(),
                            });
                        }
                        if name
                            .chars()
                            .any(|n| n == '$' || n == '(' || n == '{' || n.is_whitespace())
                        {
                            return Err(SyntaxError::BadName {
                                offset,
                                text: text.to_string(),
                            });
                        }
                        // Skip the name and the closing bracket.
                        while let Some(&(at, _)) = chars.peek() {
                            if at > start + len {
                                break;
                            }
                            chars.next();
                        }
                        self.wildcard(name);
                    }
                    Some((_, n)) if n.is_whitespace() => {
                        return Err(SyntaxError::DollarSpace { offset });
                    }
                    Some((_, n)) => {
                        let mut name = [0u8; 4];
                        self.wildcard(n.encode_utf8(&mut name));
                    }
                },
                other => self.literal.push(other),
            }
        }
        self.flush_literal();
        let mut tail_min = vec![0; self.segments.len() + 1];
        for (i, segment) in self.segments.iter().enumerate().rev() {
            let own = match segment {
                Segment::Literal(text) => text.len(),
                Segment::Wildcard(_) => 1,
            };
            tail_min[i] = tail_min[i + 1] + own;
        }
        Ok(Pattern {
            source: self.source.to_string(),
            segments: self.segments,
            wildcards: self.wildcards,
            tail_min,
        })
    }

    fn flush_literal(&mut self) {
        if !self.literal.is_empty() {
            self.segments
                .push(Segment::Literal(std::mem::take(&mut self.literal)));
        }
    }

    fn wildcard(&mut self, name: &str) {
        self.flush_literal();
        let index = match self.wildcards.iter().position(|w| w == name) {
            Some(index) => index,
            None => {
                self.wildcards.push(name.to_string());
                self.wildcards.len() - 1
            }
        };
        self.segments.push(Segment::Wildcard(index));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Segment::{Literal as L, Wildcard as W};

    fn lit(s: &str) -> Segment {
        L(s.to_string())
    }

    #[test]
    fn gnu_stem() {
        let p = Pattern::parse("%.o").unwrap();
        assert_eq!(p.segments(), &[W(0), lit(".o")]);
        assert_eq!(p.wildcards(), &["%"]);
        assert_eq!((p.prefix(), p.suffix(), p.min_len()), ("", ".o", 3));
    }

    #[test]
    fn one_letter_and_bracketed_names() {
        let p = Pattern::parse("align-$X-$(LONG)-${Z}.out").unwrap();
        assert_eq!(p.wildcards(), &["X", "LONG", "Z"]);
        assert_eq!(
            p.segments(),
            &[
                lit("align-"),
                W(0),
                lit("-"),
                W(1),
                lit("-"),
                W(2),
                lit(".out")
            ]
        );
        assert_eq!((p.prefix(), p.suffix()), ("align-", ".out"));
    }

    #[test]
    fn one_letter_name_equals_bracketed_name() {
        let p = Pattern::parse("$X.$(X).${X}").unwrap();
        assert_eq!(p.wildcards(), &["X"]);
        assert_eq!(p.segments(), &[W(0), lit("."), W(0), lit("."), W(0)]);
        assert_eq!(p.min_len(), 5);
    }

    #[test]
    fn double_dollar_is_literal_and_merges() {
        let p = Pattern::parse("a$$b%c$$").unwrap();
        assert_eq!(p.segments(), &[lit("a$b"), W(0), lit("c$")]);
        let p = Pattern::parse("$$X").unwrap();
        assert!(p.is_literal());
        assert_eq!(p.segments(), &[lit("$X")]);
        assert_eq!((p.prefix(), p.suffix()), ("$X", ""));
    }

    #[test]
    fn stem_and_named_wildcards_mix() {
        let p = Pattern::parse("$D/%.$(EXT)").unwrap();
        assert_eq!(p.wildcards(), &["D", "%", "EXT"]);
    }

    #[test]
    fn adjacent_wildcards() {
        let p = Pattern::parse("$X$Y").unwrap();
        assert_eq!(p.segments(), &[W(0), W(1)]);
        assert_eq!((p.prefix(), p.suffix(), p.min_len()), ("", "", 2));
    }

    #[test]
    fn non_ascii_names_and_text() {
        let p = Pattern::parse("é$é-$(größe)ü").unwrap();
        assert_eq!(p.wildcards(), &["é", "größe"]);
        assert_eq!(p.segments(), &[lit("é"), W(0), lit("-"), W(1), lit("ü")]);
    }

    #[test]
    fn errors() {
        assert_eq!(Pattern::parse("").unwrap_err(), SyntaxError::Empty);
        assert_eq!(
            Pattern::parse("%a%").unwrap_err(),
            SyntaxError::SecondStem { offset: 2 }
        );
        assert_eq!(
            Pattern::parse("x$(NAME").unwrap_err(),
            SyntaxError::Unterminated {
                offset: 1,
                open: "$(",
                close: ')'
            }
        );
        assert_eq!(
            Pattern::parse("${NAME)").unwrap_err(),
            SyntaxError::Unterminated {
                offset: 0,
                open: "${",
                close: '}'
            }
        );
        assert_eq!(
            Pattern::parse("a$()").unwrap_err(),
            SyntaxError::EmptyName {
                offset: 1,
                text: "$()".into()
            }
        );
        assert_eq!(
            Pattern::parse("$(subst a,b,c)").unwrap_err(),
            SyntaxError::BadName {
                offset: 0,
                text: "$(subst a,b,c)".into()
            }
        );
        assert_eq!(
            Pattern::parse("a$").unwrap_err(),
            SyntaxError::TrailingDollar
        );
        assert_eq!(
            Pattern::parse("a$ b").unwrap_err(),
            SyntaxError::DollarSpace { offset: 1 }
        );
    }

    #[test]
    fn error_messages_are_readable() {
        assert_eq!(
            Pattern::parse("%a%").unwrap_err().to_string(),
            "more than one '%' (the second is at offset 2); a pattern has at most one stem"
        );
        assert_eq!(
            Pattern::parse("x$(NAME").unwrap_err().to_string(),
            "unterminated wildcard reference '$(' at offset 1 (missing ')')"
        );
    }
}
