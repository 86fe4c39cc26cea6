import * as assert from "assert";
import { TagKeys as EngineTagKeys } from "../../engine/tags";
import { TagKeys } from "./tags";

describe("tag keys", () => {
    it("are the ones the engine, the zone reader and the policy pack read: the components' copy equals engine/tags.ts", () => {
        assert.deepStrictEqual({ ...TagKeys }, { ...EngineTagKeys });
    });
});
