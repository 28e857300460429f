import { type ReactNode, useEffect, useRef } from "react";
import { usePageTitle } from "./page-title.ts";

let firstPage = true;

/**
 * A page's h1. After an in-app navigation it takes the focus (so keyboard and screen-reader users
 * start at the new page) and the shell announces the new title; on the first load focus stays put.
 */
export function PageTitle({
  children,
  text,
  className = "text-2xl font-bold",
}: {
  children?: ReactNode;
  /** The title as plain text (for the tab title and the announcement) when children are not a string. */
  text?: string;
  className?: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const title = text ?? (typeof children === "string" ? children : (heading.current?.textContent ?? ""));
  useEffect(() => {
    usePageTitle.getState().set(title);
    if (firstPage) {
      firstPage = false;
      return;
    }
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <h1 ref={heading} tabIndex={-1} className={`${className} focus:outline-none`}>
      {children ?? text}
    </h1>
  );
}
