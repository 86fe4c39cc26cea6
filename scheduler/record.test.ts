import * as assert from "assert";
import { Stack, UpdateSummary } from "@pulumi/pulumi/automation";
import { NEW_RECORD, Numbering, SEEN_KEY_TAG, SEEN_TAG, cutToBytes, readRecordTags, readRecords, writeRecords, writeSeen } from "./record";
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

describe("the record's history marks", () => {
    const KEY = 1_796_199_075_000;
    it("reads an older record, which kept a self-managed key in the version field, as a key, and a mark of the other backend as 0", async () => {
        const { stack, tags } = taggedStack();
        Object.assign(tags, { "intergalactic:data.users": JSON.stringify({ s: "up", at: KEY }), [SEEN_TAG]: String(KEY) });
        const asKeys = await readRecordTags(stack, Numbering.Key);
        assert.deepStrictEqual([asKeys.records.users.armedAt, asKeys.seen], [KEY, KEY]);
        const asVersions = await readRecordTags(stack, Numbering.Version);
        assert.deepStrictEqual([asVersions.records.users.armedAt, asVersions.seen], [0, 0], "a key is no Pulumi Cloud version");
        const noHistory = await readRecordTags(stack, undefined);
        assert.deepStrictEqual([noHistory.records.users.armedAt, noHistory.seen], [0, 0]);
    });

    it("writes a key and a version into their own fields, and drops the other backend's", async () => {
        const { stack, tags } = taggedStack();
        Object.assign(tags, { "intergalactic:data.users": JSON.stringify({ s: "up", at: KEY }), [SEEN_TAG]: String(KEY) });
        const read = await readRecordTags(stack, Numbering.Version);
        await writeRecords(stack, read.records, { users: { ...read.records.users, armedAt: 7 } }, read.all);
        await writeSeen(stack, 7, read.all);
        assert.deepStrictEqual({ ...JSON.parse(tags["intergalactic:data.users"]), h: undefined }, { s: "up", at: 7, h: undefined });
        assert.deepStrictEqual([tags[SEEN_TAG], tags[SEEN_KEY_TAG]], ["7", undefined]);
        const again = await readRecordTags(stack, Numbering.Key);
        await writeRecords(stack, again.records, { users: { ...again.records.users, armedAt: KEY } }, again.all);
        await writeSeen(stack, KEY, again.all);
        assert.deepStrictEqual({ ...JSON.parse(tags["intergalactic:data.users"]), h: undefined }, { s: "up", ak: KEY, h: undefined });
        assert.deepStrictEqual([tags[SEEN_TAG], tags[SEEN_KEY_TAG]], [undefined, String(KEY)]);
    });
});
