import * as assert from "assert";
import * as fc from "fast-check";
import { contains, formatCidr, isPrivate, mustParseCidr, overlaps, parseCidr, size, subnet } from "./cidr";

const cidrArb = fc.record({ base: fc.nat({ max: 0xffffffff }), prefix: fc.integer({ min: 0, max: 32 }) })
    .map(({ base, prefix }) => ({ base: (prefix === 0 ? 0 : (base >>> (32 - prefix)) << (32 - prefix)) >>> 0, prefix }));

describe("cidr", () => {
    describe("parseCidr", () => {
        const cases: [string, string][] = [
            ["10.0.0.0/33", "prefix length above 32"],
            ["10.0.0.256/24", "octet above 255"],
            ["10.0.0/24", "not an IPv4 CIDR"],
            ["10.0.0.1/16", "host bits set: did you mean 10.0.0.0/16?"],
            ["::/0", "not an IPv4 CIDR"],
        ];
        for (const [text, reason] of cases) {
            it(`rejects ${text} because it has ${reason}`, () => {
                const parsed = parseCidr(text);
                assert.strictEqual(typeof parsed, "string");
                assert.match(parsed as string, new RegExp(reason.replace(/[.?/]/g, "\\$&")));
            });
        }

        it("round-trips every valid network through format and parse", () => {
            fc.assert(fc.property(cidrArb, (cidr) => {
                assert.deepStrictEqual(parseCidr(formatCidr(cidr)), cidr);
            }));
        });
    });

    describe("subnet", () => {
        it("carves disjoint children that together fill their parent", () => {
            fc.assert(fc.property(cidrArb.filter((c) => c.prefix <= 28), fc.integer({ min: 1, max: 4 }), (parent, extra) => {
                const count = 2 ** extra;
                const children = Array.from({ length: count }, (_, i) => subnet(parent, parent.prefix + extra, i));
                children.forEach((child, i) => {
                    assert.ok(contains(parent, child));
                    children.slice(i + 1).forEach((other) => assert.ok(!overlaps(child, other)));
                });
                assert.strictEqual(children.reduce((sum, c) => sum + size(c), 0), size(parent));
            }));
        });

        it("refuses an index outside the parent", () => {
            assert.throws(() => subnet(mustParseCidr("10.0.0.0/16"), 18, 4), /outside the 4 \/18 subnets of 10.0.0.0\/16/);
        });
    });

    describe("overlaps and isPrivate", () => {
        it("is symmetric", () => {
            fc.assert(fc.property(cidrArb, cidrArb, (a, b) => assert.strictEqual(overlaps(a, b), overlaps(b, a))));
        });

        it("knows the private ranges", () => {
            assert.ok(isPrivate(mustParseCidr("10.20.0.0/16")));
            assert.ok(isPrivate(mustParseCidr("172.31.0.0/16")));
            assert.ok(!isPrivate(mustParseCidr("172.32.0.0/16")));
            assert.ok(!isPrivate(mustParseCidr("8.8.8.0/24")));
        });
    });
});
