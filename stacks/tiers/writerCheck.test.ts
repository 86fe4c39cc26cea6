/** The writer check's messages: never a key change before a refresh and a look at the live global cluster. */
import * as assert from "assert";
import { WriterState, writerMismatch } from "./writerCheck";

const EUW1 = "arn:aws:rds:eu-west-1:111122223333:cluster:intergalactic-prod-users";
const USE1 = "arn:aws:rds:us-east-1:111122223333:cluster:intergalactic-prod-users-use1";
const GLOBAL = "intergalactic-prod-users-global";
const REFRESH = "the state may be stale: run `pulumi up --refresh` first";
const state = (over: Partial<WriterState>): WriterState =>
    ({ writerRegion: "eu-west-1", clusterArn: EUW1, globalClusterId: GLOBAL, writerArn: EUW1, memberArns: [EUW1, USE1], firstRegion: "eu-west-1", ...over });
/** Where `text` first appears in `message`, failing when it does not. */
const at = (message: string, text: string): number => {
    const index = message.indexOf(text);
    assert.ok(index >= 0, `no ${JSON.stringify(text)} in: ${message}`);
    return index;
};

describe("the user database's writer check", () => {
    it("passes when the writer region's cluster writes, or the state names no writer", () => {
        assert.strictEqual(writerMismatch(state({})), undefined);
        assert.strictEqual(writerMismatch(state({ writerRegion: "us-east-1", clusterArn: USE1, writerArn: USE1 })), undefined);
        assert.strictEqual(writerMismatch(state({ writerRegion: "us-east-1", clusterArn: USE1, writerArn: "", memberArns: [] })), undefined);
    });

    it("with writerRegion committed after a failover and a state read before it, leads with the refresh and advises no removal before the live check", () => {
        // The runbook after step 3: writerRegion us-east-1 committed, the state still says eu-west-1 writes. Removing the key
        // here would point every stamp at the resyncing, read-only eu-west-1 cluster.
        const message = writerMismatch(state({ writerRegion: "us-east-1", clusterArn: USE1 }))!;
        assert.ok(message.startsWith(REFRESH), message);
        at(message, `intergalactic:mongo.writerRegion: "us-east-1" names the cluster ${USE1}, but the state names ${EUW1} (eu-west-1)`);
        const live = at(message, `aws docdb describe-global-clusters --global-cluster-identifier ${GLOBAL} --region us-east-1`);
        const removal = at(message, "remove intergalactic:mongo.writerRegion from the stack's file (its default is the first region, eu-west-1)");
        assert.ok(live < removal && at(message, `only if it shows ${EUW1} with IsWriter true`) < removal, message);
    });

    it("names the state's writer region only, and only after the live check, when the key is missing after a failover", () => {
        const message = writerMismatch(state({ writerArn: USE1 }))!;
        assert.ok(message.startsWith(REFRESH), message);
        assert.ok(at(message, "describe-global-clusters") < at(message, "set intergalactic:mongo.writerRegion to us-east-1 in the stack's file"), message);
        assert.doesNotMatch(message, /remove intergalactic:mongo\.writerRegion/);
    });

    it("says a cluster absent from the members is detached, with no key to change and no other member to write to unchecked", () => {
        // After remove-from-global-cluster and a refresh: the global cluster holds eu-west-1 only, still named the writer.
        const message = writerMismatch(state({ writerRegion: "us-east-1", clusterArn: USE1, memberArns: [EUW1] }))!;
        assert.ok(message.startsWith(REFRESH), message);
        at(message, `which is not a member of the global cluster ${GLOBAL} in the state`);
        at(message, "the global cluster no longer holds it (detached by remove-from-global-cluster)");
        at(message, "Do not point writes at another member without checking which one is writable");
        assert.doesNotMatch(message, /(remove|set) intergalactic:mongo\.writerRegion/);
    });
});
