/**
 * Writes the plan file: the text of `JSON.stringify(plan, null, 2)` and a newline, byte for byte,
 * written one resource at a time.
 *
 * Why: the plan of prod + 240 services is about 20 MB of JSON. As one string it is built when the
 * heap is at its largest (the whole plan and the SDK's registrations are still held), and turning
 * it into UTF-8 for the write copies it once more (tools/bench/PROFILE.md, fourth round).
 */
import * as fs from "fs";
import type { Plan } from "./format";

/**
 * `"key": <value>` as `JSON.stringify` writes a member of the plan object (indented by two), or
 * undefined when it leaves the member out; one `JSON.stringify`, without splitting the text into lines.
 */
function member(key: string, value: unknown): string | undefined {
    const text = JSON.stringify({ [key]: value }, null, 2);
    return text === "{}" ? undefined : text.slice(2, -2);
}

/** An element of the plan's `resources` list as `JSON.stringify` writes it there (indented by four). */
function element(value: unknown): string {
    const text = JSON.stringify({ resources: [value] }, null, 2);
    return text.slice(ELEMENT_PREFIX.length, -ELEMENT_SUFFIX.length);
}
const ELEMENT_PREFIX = '{\n  "resources": [\n';
const ELEMENT_SUFFIX = "\n  ]\n}";

/** The plan file's text in pieces: joined, `JSON.stringify(plan, null, 2) + "\n"`. */
export function* planFileChunks(plan: Plan): Generator<string> {
    let first = true;
    yield "{";
    for (const key of Object.keys(plan)) {
        const value = (plan as unknown as Record<string, unknown>)[key];
        if (key === "resources" && Array.isArray(value) && value.length > 0) {
            yield `${first ? "" : ","}\n  ${JSON.stringify(key)}: [`;
            first = false;
            for (let i = 0; i < value.length; i++) yield `${i === 0 ? "" : ","}\n${element(value[i])}`;
            yield "\n  ]";
            continue;
        }
        const text = member(key, value);
        if (text === undefined) continue; // as JSON.stringify leaves out an undefined member
        yield `${first ? "" : ","}\n${text}`;
        first = false;
    }
    yield first ? "}\n" : "\n}\n";
}

/** Writes `plan` to `file` as `JSON.stringify(plan, null, 2) + "\n"` would, without building that string. */
export function writePlanFile(file: string, plan: Plan): void {
    const fd = fs.openSync(file, "w");
    try {
        let pending = "";
        for (const chunk of planFileChunks(plan)) {
            pending += chunk;
            // Written in pieces of about 1 MB: few system calls, no whole-plan string.
            if (pending.length >= 1 << 20) {
                fs.writeSync(fd, pending);
                pending = "";
            }
        }
        fs.writeSync(fd, pending);
    } finally {
        fs.closeSync(fd);
    }
}
