import * as assert from "assert";
import { Stack, UpdateSummary } from "@pulumi/pulumi/automation";
import { NEW_RECORD, cutToBytes, readRecords, writeRecords } from "./record";
import { updateAfter } from "./settle";

/** A stack whose tags follow Pulumi's rule: a value holds at most 256 bytes of UTF-8. */
function taggedStack(): { stack: Stack; tags: Record<string, string> } {
    const tags: Record<string, string> = {};
    const stack = {
        setTag: async (k: string, v: string) => {
            if (Buffer.byteLength(v, "utf8") > 256) throw new Error(`error: stack tag "${k}" value is too long (max length 256 characters)`);
            tags[k] = v;
        },
        removeTag: async (k: string) => void delete tags[k],
        listTags: async () => ({ ...tags }),
    } as unknown as Stack;
    return { stack, tags };
}

describe("the restore record in stack tags", () => {
    it("cuts a lost reason that quotes a non-ASCII update message to 256 bytes, so the record is still written", async () => {
        const message = "Aufräumen: Cluster-Größe für die Lasttests geändert, Knoten über Nacht behalten (Müller) – bitte nicht löschen, Grüße an alle – Jörg";
        const history = [{ version: 12, kind: "update", message, startTime: new Date("2026-11-30T09:12:33Z"), result: "succeeded" } as unknown as UpdateSummary];
        const lost = updateAfter(history, 10)!;
        assert.ok(lost.length <= 256 && Buffer.byteLength(lost, "utf8") > 256, "the reason fits in characters but not in bytes");
        const { stack, tags } = taggedStack();
        await writeRecords(stack, {}, { users: { ...NEW_RECORD, final: "users-td-fri", lost } });
        assert.ok(tags["intergalactic:data.users"], "the record's state tag was written");
        const back = (await readRecords(stack)).users;
        assert.ok(back.lost.startsWith("update #12") && back.lost.endsWith("..."), back.lost);
        assert.strictEqual(back.final, "users-td-fri");
    });

    it("never cuts a character in half", () => {
        const cut = cutToBytes("ä".repeat(200), 256);
        assert.ok(Buffer.byteLength(cut, "utf8") <= 256);
        assert.ok(!cut.includes("\uFFFD"));
        assert.strictEqual(cut, `${"ä".repeat(126)}...`);
    });
});
