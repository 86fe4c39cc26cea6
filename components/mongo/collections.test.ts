import * as assert from "assert";
import { MongoPlanInput, planMongo } from "./mongoPlan";
import { mongoProblems } from "./fixtures.test";

const AZURE: MongoPlanInput = { cloud: "azure", location: "westeurope", zones: ["1", "2", "3"], subnetCount: 1, allowedClientCidrs: ["10.0.0.0/20"] };
const AWS: MongoPlanInput = { cloud: "aws", zones: ["us-east-1a", "us-east-1b", "us-east-1c"], subnetCount: 3, allowedClientCidrs: ["10.0.0.0/20"] };

const problemsOf = (input: MongoPlanInput): string[] => mongoProblems(input);

describe("HaMongo collections", () => {
    it("shard a collection on _id by default and keep its indexes", () => {
        const plan = planMongo("users", { ...AZURE, collections: [{ name: "users", indexes: [{ keys: ["_id", "email"], unique: true }, { keys: ["seenAt"], expireAfterSeconds: 86400 }] }] });
        assert.deepStrictEqual(plan.collections, [{
            name: "users", shardKey: "_id",
            indexes: [{ keys: ["_id", "email"], unique: true }, { keys: ["seenAt"], unique: false, expireAfterSeconds: 86400 }],
        }]);
    });

    const cases: { title: string; collections: MongoPlanInput["collections"]; problem: RegExp }[] = [
        { title: "a name starting with system.", collections: [{ name: "system.users" }], problem: /^collections\[0\]\.name: "system\.users" must be 1-120 characters/ },
        { title: "a name with $", collections: [{ name: "a$b" }], problem: /^collections\[0\]\.name: "a\$b" must be/ },
        { title: "a name declared twice", collections: [{ name: "users" }, { name: "users" }], problem: /^collections\[1\]\.name: "users" is declared twice/ },
        { title: "the _id index declared", collections: [{ name: "users", indexes: [{ keys: ["_id"], unique: true }] }], problem: /^collections\[0\]\.indexes\[0\]\.keys: \["_id"\] is the _id index/ },
        { title: "a unique index without the shard key", collections: [{ name: "users", shardKey: "tenant", indexes: [{ keys: ["email"], unique: true }] }], problem: /^collections\[0\]\.indexes\[0\]\.unique: true needs the shard key tenant/ },
        { title: "an index without keys", collections: [{ name: "users", indexes: [{ keys: [] }] }], problem: /^collections\[0\]\.indexes\[0\]\.keys: \[\] must list one or more field names/ },
        { title: "a TTL on two keys", collections: [{ name: "users", indexes: [{ keys: ["a", "b"], expireAfterSeconds: 60 }] }], problem: /^collections\[0\]\.indexes\[0\]\.expireAfterSeconds: 60 takes a single, non-unique key/ },
    ];
    for (const c of cases) {
        it(`refuse ${c.title}, naming the arg and the rule`, () => {
            const problems = problemsOf({ ...AZURE, collections: c.collections });
            assert.ok(problems.some((p) => c.problem.test(p)), problems.join("\n"));
        });
    }

    it("are refused on aws, where DocumentDB clients create their own", () => {
        assert.ok(problemsOf({ ...AWS, collections: [{ name: "users" }] }).some((p) => /^collections: \["users"\] is only for azure/.test(p)));
    });
});
