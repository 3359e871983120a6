import { useEffect, useState } from "preact/hooks";
import { Button } from "./button.tsx";

/**
 * Rows a long table draws at first, and adds at each "Show more": a thousand rows of buttons and
 * selects took the browser most of a second to draw (bench/README.md, "Console pages").
 */
export const ROWS_SHOWN = 100;

/** How many rows to draw; back to ROWS_SHOWN whenever `reset` changes (a new filter). */
export function useRowsShown(reset: unknown[] = []): [shown: number, more: () => void] {
  const [shown, setShown] = useState(ROWS_SHOWN);
  useEffect(() => setShown(ROWS_SHOWN), reset);
  return [shown, () => setShown((n) => n + ROWS_SHOWN)];
}

/** "Show more" under a table that draws `shown` of its `total` rows; nothing once all are. */
export function ShowMore(props: {
  shown: number;
  total: number;
  noun: string;
  onMore: () => void;
}) {
  if (props.total <= props.shown) {
    return null;
  }
  return (
    <p>
      <Button onClick={props.onMore}>Show more</Button>{" "}
      <span class="muted">
        {props.shown} of {props.total} {props.noun} shown
      </span>
    </p>
  );
}
