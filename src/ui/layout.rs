//! Where things go on screen. Shared by the renderer and by the update (to
//! keep the cursor in view and to map mouse clicks to rows).

use ratatui::layout::Rect;

/// Below this size only a "terminal too small" message is drawn.
pub const MIN_WIDTH: u16 = 40;
/// Below this size only a "terminal too small" message is drawn.
pub const MIN_HEIGHT: u16 = 12;

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

/// The parts of the findings pane inside its border.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FindingsLayout {
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
    let filter = if filter_line && left > 2 {
        y += 1;
        left -= 1;
        Some(Rect::new(inner.x, inner.y, inner.width, 1))
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
        filter,
        header,
        rows,
    }
}
