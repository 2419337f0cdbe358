//! Where things go on screen. Shared by the renderer and by the update (to
//! keep the cursor in view and to map mouse clicks to rows).

use ratatui::layout::Rect;

use super::state::Pane;

/// Below this size only a "terminal too small" message is drawn.
pub const MIN_WIDTH: u16 = 40;
/// Below this size only a "terminal too small" message is drawn.
pub const MIN_HEIGHT: u16 = 12;

/// The first row on screen of a list of `len` rows, for the renderer and
/// for mapping a click to a row alike: the kept scroll, moved
/// so the cursor shows (a recompute between frames may have moved the
/// cursor off screen), and never so far down that rows above stay hidden
/// while the screen has room for them (a filter that left a few rows).
pub fn first_row(cursor: usize, scroll: usize, height: usize, len: usize) -> usize {
    let first = if cursor < scroll {
        cursor
    } else if height > 0 && cursor >= scroll + height {
        cursor + 1 - height
    } else {
        scroll
    };
    first.min(len.saturating_sub(height))
}

/// The fixed regions of the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Screen {
    pub tabs: Rect,
    pub main: Rect,
    pub status: Rect,
    pub footer: Rect,
}

/// True when the terminal is big enough for the panes.
pub fn fits(area: Rect) -> bool {
    area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT
}

/// Splits the terminal: tabs on top, the pane, a status line and key hints.
pub fn screen(area: Rect) -> Screen {
    let h = area.height;
    let line = |y: u16| {
        Rect::new(
            area.x,
            area.y + y.min(h.saturating_sub(1)),
            area.width,
            1.min(h),
        )
    };
    Screen {
        tabs: line(0),
        main: Rect::new(area.x, area.y + 1.min(h), area.width, h.saturating_sub(3)),
        status: line(h.saturating_sub(2)),
        footer: line(h.saturating_sub(1)),
    }
}

/// The panes' tabs in order: full name, shorter, shortest.
pub const TABS: [(Pane, [&str; 3]); 5] = [
    (
        Pane::CommandCenter,
        ["Command center", "Command center", "CC"],
    ),
    (Pane::Findings, ["Findings", "Findings", "Find"]),
    (Pane::Tasks, ["Tasks", "Tasks", "Tasks"]),
    (Pane::Regressions, ["Regressions", "Regr.", "Regr"]),
    (Pane::Report, ["Report", "Report", "Rep"]),
];

/// The tabs on a line `width` wide: pane, label (` name `) and its first
/// column. Narrower lines get shorter names and no gap between the labels
/// (their own padding still parts them), so that where the session is, or
/// is going, keeps room beside them.
pub fn tabs(width: u16) -> Vec<(Pane, String, u16)> {
    let (form, gap) = match width {
        100.. => (0, 1),
        60..=99 => (1, 0),
        _ => (2, 0),
    };
    let mut x = 0u16;
    TABS.iter()
        .map(|(pane, names)| {
            let label = format!(" {} ", names[form]);
            let at = x;
            x += label.chars().count() as u16 + gap;
            (*pane, label, at)
        })
        .collect()
}

/// Columns the tabs take on a line `width` wide.
pub fn tabs_width(width: u16) -> u16 {
    tabs(width)
        .last()
        .map_or(0, |(_, label, at)| at + label.chars().count() as u16)
}

/// The pane whose tab is at `column`, if any.
pub fn tab_at(width: u16, column: u16) -> Option<Pane> {
    tabs(width)
        .into_iter()
        .find(|(_, label, at)| column >= *at && column < at + label.chars().count() as u16)
        .map(|(pane, _, _)| pane)
}

/// The parts of the findings pane inside its border.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FindingsLayout {
    /// The saved views' tabs, when there is room.
    pub views: Option<Rect>,
    pub filter: Option<Rect>,
    pub header: Rect,
    pub rows: Rect,
}

/// Lays out the findings pane; `filter_line` reserves a line for filters.
pub fn findings(main: Rect, filter_line: bool) -> FindingsLayout {
    let inner = Rect::new(
        main.x.saturating_add(1),
        main.y.saturating_add(1),
        main.width.saturating_sub(2),
        main.height.saturating_sub(2),
    );
    let mut y = inner.y;
    let mut left = inner.height;
    let views = if left > 3 {
        y += 1;
        left -= 1;
        Some(Rect::new(inner.x, inner.y, inner.width, 1))
    } else {
        None
    };
    let filter = if filter_line && left > 2 {
        let line = Rect::new(inner.x, y, inner.width, 1);
        y += 1;
        left -= 1;
        Some(line)
    } else {
        None
    };
    let header = Rect::new(inner.x, y, inner.width, 1.min(left));
    let rows = Rect::new(
        inner.x,
        y + 1.min(left),
        inner.width,
        left.saturating_sub(1),
    );
    FindingsLayout {
        views,
        filter,
        header,
        rows,
    }
}

/// From this width the command center is a band above the findings.
pub const BAND_MIN_WIDTH: u16 = 100;
/// From this terminal height the command center is a band above the findings.
pub const BAND_MIN_HEIGHT: u16 = 30;
/// Rows of the band, borders included.
pub const BAND_HEIGHT: u16 = 7;

/// The main area split between the command center band (on a roomy
/// terminal) and the list or detail below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panes {
    /// The command center band; `None` on a small terminal, where the panes
    /// are tabs and take the whole main area in turn.
    pub band: Option<Rect>,
    /// Where the findings list or the detail goes.
    pub lower: Rect,
}

/// Splits the main area: a band on top when the terminal is roomy.
pub fn panes(main: Rect) -> Panes {
    let roomy = main.width >= BAND_MIN_WIDTH && main.height + 3 >= BAND_MIN_HEIGHT;
    if !roomy {
        return Panes {
            band: None,
            lower: main,
        };
    }
    let band = Rect::new(main.x, main.y, main.width, BAND_HEIGHT);
    let lower = Rect::new(
        main.x,
        main.y + BAND_HEIGHT,
        main.width,
        main.height - BAND_HEIGHT,
    );
    Panes {
        band: Some(band),
        lower,
    }
}

/// The findings pane's area for a terminal of `size` (columns, rows).
pub fn findings_area(size: (u16, u16)) -> Rect {
    panes(screen(Rect::new(0, 0, size.0, size.1)).main).lower
}

#[cfg(test)]
mod tests {
    use super::first_row;

    #[test]
    fn the_first_row_keeps_the_cursor_on_screen_and_the_screen_full() {
        // The kept scroll, when the cursor is on screen.
        assert_eq!(first_row(12, 10, 5, 100), 10);
        // Moved to show the cursor, above or below.
        assert_eq!(first_row(3, 10, 5, 100), 3);
        assert_eq!(first_row(20, 10, 5, 100), 16);
        // A list that shrank under a scrolled screen: its last rows fill
        // the screen, the cursor among them.
        assert_eq!(first_row(10, 34, 26, 11), 0);
        assert_eq!(first_row(40, 34, 26, 41), 15);
        assert_eq!(first_row(0, 0, 26, 0), 0);
    }
}
