//! A drawn screen as an SVG picture, colours and bold included: the
//! README's screenshots are rendered from the real buffer by a test
//! (`tests/readme_pictures.rs`), so they cannot drift from the product.

use std::fmt::Write;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

/// Width and height of one cell, in SVG units.
const CELL_W: f32 = 8.4;
const CELL_H: f32 = 17.0;
/// The terminal's own colours, for `Color::Reset`.
const DEFAULT_FG: &str = "#d4d4d4";
const DEFAULT_BG: &str = "#1b1d23";

/// The colour of a terminal colour, as a common dark palette shows it.
fn hex(color: Color, fg: bool) -> String {
    let named = match color {
        Color::Reset => return if fg { DEFAULT_FG } else { DEFAULT_BG }.to_string(),
        Color::Black => "#1b1d23",
        Color::Red => "#e06c75",
        Color::Green => "#98c379",
        Color::Yellow => "#e5c07b",
        Color::Blue => "#61afef",
        Color::Magenta => "#c678dd",
        Color::Cyan => "#56b6c2",
        Color::Gray => "#abb2bf",
        Color::DarkGray => "#6b7280",
        Color::LightRed => "#ff7b86",
        Color::LightGreen => "#b5e890",
        Color::LightYellow => "#ffd98e",
        Color::LightBlue => "#8cc8ff",
        Color::LightMagenta => "#de9bf0",
        Color::LightCyan => "#7fd6e0",
        Color::White => "#f0f0f0",
        Color::Rgb(r, g, b) => return format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(n) => return indexed(n),
    };
    named.to_string()
}

/// The xterm 256-colour palette beyond the first sixteen.
fn indexed(n: u8) -> String {
    match n {
        0..=15 => hex(
            [
                Color::Black,
                Color::Red,
                Color::Green,
                Color::Yellow,
                Color::Blue,
                Color::Magenta,
                Color::Cyan,
                Color::Gray,
                Color::DarkGray,
                Color::LightRed,
                Color::LightGreen,
                Color::LightYellow,
                Color::LightBlue,
                Color::LightMagenta,
                Color::LightCyan,
                Color::White,
            ][n as usize],
            true,
        ),
        16..=231 => {
            let n = n - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            let (r, g, b) = (level(n / 36), level((n / 6) % 6), level(n % 6));
            format!("#{r:02x}{g:02x}{b:02x}")
        }
        232..=255 => {
            let v = 8 + (n - 232) * 10;
            format!("#{v:02x}{v:02x}{v:02x}")
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The buffer as an SVG document: a background rectangle per run of
/// cells of one background, a text element per run of one style.
pub fn to_svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let (w, h) = (
        f32::from(area.width) * CELL_W,
        f32::from(area.height) * CELL_H,
    );
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" \
         viewBox=\"0 0 {w:.1} {h:.1}\" font-family=\"ui-monospace, Menlo, Consolas, monospace\" \
         font-size=\"14\" xml:space=\"preserve\">"
    );
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"{DEFAULT_BG}\"/>"
    );
    for y in 0..area.height {
        let cell = |x: u16| &buffer[(area.x + x, area.y + y)];
        let style_of = |x: u16| {
            let c = cell(x);
            let reversed = c.modifier.contains(Modifier::REVERSED);
            let (fg, bg) = if reversed { (c.bg, c.fg) } else { (c.fg, c.bg) };
            (
                hex(fg, !reversed),
                hex(bg, reversed),
                c.modifier.contains(Modifier::BOLD),
            )
        };
        let top = f32::from(y) * CELL_H;
        let mut x = 0;
        while x < area.width {
            let (fg, bg, bold) = style_of(x);
            let mut end = x + 1;
            while end < area.width && style_of(end) == (fg.clone(), bg.clone(), bold) {
                end += 1;
            }
            let left = f32::from(x) * CELL_W;
            if bg != DEFAULT_BG {
                let _ = writeln!(
                    out,
                    "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{CELL_H:.1}\" fill=\"{bg}\"/>",
                    f32::from(end - x) * CELL_W
                );
            }
            let text: String = (x..end).map(|i| cell(i).symbol().to_string()).collect();
            if !text.trim().is_empty() {
                let weight = if bold { " font-weight=\"bold\"" } else { "" };
                let _ = writeln!(
                    out,
                    "<text x=\"{left:.1}\" y=\"{:.1}\" fill=\"{fg}\"{weight} textLength=\"{:.1}\" lengthAdjust=\"spacingAndGlyphs\">{}</text>",
                    top + CELL_H * 0.78,
                    f32::from(end - x) * CELL_W,
                    escape(&text)
                );
            }
            x = end;
        }
    }
    out.push_str("</svg>\n");
    out
}
