/**
 * A hung or slow read (the stack's history and state, its tags, the logged-in user), end to end through the real
 * reconciler code and the fake CLI: the run gives up on it within its read limit, its process is gone before the
 * run makes its next call, the lease is given back, and the next run resumes and keeps the data marker. A read's
 * process left running held a connection to the backend until the reconciler exited, and its output was lost.
 */
import * as assert from "assert";
import { TimeoutError } from "./bounds";
import { LEASE_TAG } from "./lease";
import { FakeFailure } from "./testing/fakeBackend";
import { FRIDAY_EVENING, Harness, MONDAY, harness } from "./testing/harness";

const STOPPED = "the read pulumi was making was stopped and its process is gone";
const RESUMES = "the next run resumes it (it clears any pending operations, then carries on from the state left behind)";

describe("a hung or slow read", function () {
    this.timeout(60_000);
    let h: Harness;
    beforeEach(async () => {
        h = await harness();
        await h.run(FRIDAY_EVENING);
    });
    afterEach(() => h.cleanup());
    const tags = () => h.backend.read().stacks.dev.tags;

    /** The call the fault held up: its process ended before the next call started. */
    async function goneBeforeTheNextCall(command: string[]): Promise<void> {
        // The fake's server hears of a process's end when its socket closes, a moment after the run saw its pipes close.
        await new Promise((r) => setTimeout(r, 200));
        const events = h.backend.processes();
        const matches = (args: string[]) => command.every((c, i) => args[i] === c);
        const from = events.map((e, i) => ("start" in e && matches(e.args) ? i : -1)).filter((i) => i >= 0).pop()!;
        const held = events[from] as { start: number };
        const end = events.findIndex((e, i) => i > from && "end" in e && e.end === held.start);
        const next = events.findIndex((e, i) => i > from && "start" in e);
        assert.ok(end > 0, `the process of pulumi ${command.join(" ")} ended`);
        assert.ok(next === -1 || end < next, `the process of pulumi ${command.join(" ")} was gone before the next call started`);
    }

    const faults: { name: string; fault: FakeFailure; label: string; command: string[]; extra?: string }[] = [
        { name: "a hung history read", fault: { command: "stack history", times: 1, mode: "hang" }, label: "reading the stack history", command: ["stack", "history"] },
        { name: "a state read slower than the limit", fault: { command: "stack export", times: 1, mode: "slow", delayMs: 4000 }, label: "reading the stack state", command: ["stack", "export"] },
        {
            name: "a hung tag read while taking the lease", fault: { command: "stack tag ls", times: 1, mode: "hang", ignoreSigint: true }, label: "taking the stack's lease",
            command: ["stack", "tag", "ls"], extra: "; no write of it was running, and none starts after this",
        },
        { name: "a hung whoami", fault: { command: "whoami", times: 1, mode: "hang" }, label: "selecting the stack", command: ["whoami"] },
    ];
    for (const { name, fault, label, command, extra } of faults) {
        it(`${name} times out, its process gone before the run goes on; the next run spins up and keeps the data`, async () => {
            h.backend.edit((s) => s.failures.push(fault));
            const operations = h.backend.mutations();
            const hung = await h.attempt(MONDAY, { limits: { readMs: 1000 } });
            assert.ok(hung instanceof TimeoutError, String(hung));
            assert.deepStrictEqual(h.backend.running(), [], "the read's process was gone before the run ended");
            await goneBeforeTheNextCall(command);
            assert.strictEqual(hung.message, `${label}: pulumi did not answer within 1 s; ${STOPPED}${extra ?? ""}; ${RESUMES}`);
            assert.strictEqual(tags()[LEASE_TAG], undefined, "the lease was given back, or never taken");
            assert.deepStrictEqual(h.backend.mutations(), operations, "Monday's up never started");

            await h.run(MONDAY);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });
    }
});
