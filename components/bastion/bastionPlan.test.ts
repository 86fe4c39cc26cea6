import * as assert from "assert";
import * as fc from "fast-check";
import { InvalidArgumentsError } from "../common/validation";
import { BastionPlanInput, isAzureBastionSubnetId, planBastion } from "./bastionPlan";
import { MAX_SSH_SOURCES } from "./sshSources";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKx0examplekeymaterial0000000000000000000 ops@example";
const BASTION_SUBNET = "/subscriptions/s/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/AzureBastionSubnet";
const aws = (extra: Partial<BastionPlanInput> = {}): BastionPlanInput => ({
    cloud: "aws", subnetIds: ["subnet-a", "subnet-b", "subnet-c"], networkCidr: "10.10.0.0/16", ...extra,
});
const azure = (extra: Partial<BastionPlanInput> = {}): BastionPlanInput => ({
    cloud: "azure", subnetIds: [BASTION_SUBNET], networkCidr: "10.30.0.0/16", bastionSubnetCidrs: ["10.30.240.0/26"], ...extra,
});

function problemsOf(input: BastionPlanInput): string {
    try {
        planBastion("bastion", input);
    } catch (err) {
        assert.ok(err instanceof InvalidArgumentsError, `expected InvalidArgumentsError, got ${err}`);
        return err.message;
    }
    assert.fail("expected the plan to be rejected");
}

describe("planBastion", () => {
    it("defaults to a small bastion with no SSH sources and no jump box", () => {
        const plan = planBastion("bastion", aws());
        assert.strictEqual(plan.size, "small");
        assert.deepStrictEqual(plan.sshAllowedCidrs, []);
        assert.strictEqual(plan.jumpBox, false);
        assert.strictEqual(plan.sshPublicKey, undefined);
        assert.deepStrictEqual(plan.zones, [], "zones are an Azure setting");
    });

    it("plans one AWS SSH ingress rule per range, named by the range, and no jump box rules there", () => {
        const plan = planBastion("bastion", aws({ sshAllowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"], sshPublicKey: KEY }));
        assert.deepStrictEqual(plan.sshIngress, [
            { name: "bastion-sg-ssh-in-203-0-113-0-24", cidr: "203.0.113.0/24" },
            { name: "bastion-sg-ssh-in-198-51-100-7-32", cidr: "198.51.100.7/32" },
        ]);
        assert.deepStrictEqual(plan.jumpBoxRules, []);
    });

    it("lets the Azure jump box admit SSH from Azure Bastion's subnet and the allowed ranges only, ending in a deny of everything else", () => {
        const plan = planBastion("bastion", azure({ jumpBox: true, jumpBoxSubnetId: "app-z1", jumpBoxSecurityGroupId: "asg", sshPublicKey: KEY, sshAllowedCidrs: ["192.168.10.0/24"] }));
        assert.deepStrictEqual(plan.sshIngress, []);
        assert.deepStrictEqual(plan.jumpBoxRules.map((r) => [r.name, r.priority, r.access, r.sourceAddressPrefix ?? r.sourceAddressPrefixes, r.destinationPortRange ?? r.destinationPortRanges]), [
            ["AllowSshFromBastion", 100, "Allow", "10.30.240.0/26", "22"],
            ["AllowSshFromAllowedRanges", 110, "Allow", "192.168.10.0/24", "22"],
            ["DenyAllInbound", 4096, "Deny", "*", "*"],
        ]);
        assert.deepStrictEqual(planBastion("bastion", azure()).jumpBoxRules, [], "no jump box, no rules");
    });

    it("refuses an Azure jump box without the bastion's subnet range to admit SSH from, rather than admit the whole network", () => {
        assert.throws(() => planBastion("bastion", azure({ jumpBox: true, jumpBoxSubnetId: "app-z1", sshPublicKey: KEY, bastionSubnetCidrs: [] })),
            /subnets: \[\] must hold the bastion's subnet \(AzureBastionSubnet\): the jump box admits Bastion's SSH sessions from its range only/);
    });

    it("makes Azure Bastion zone-redundant over zones 1, 2 and 3 by default", () => {
        assert.deepStrictEqual(planBastion("bastion", azure()).zones, ["1", "2", "3"]);
    });

    it("accepts SSH ranges with a key on AWS and a jump box with a key and subnet on Azure", () => {
        const onAws = planBastion("bastion", aws({ sshAllowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"], sshPublicKey: KEY }));
        assert.deepStrictEqual(onAws.sshAllowedCidrs, ["203.0.113.0/24", "198.51.100.7/32"]);
        const onAzure = planBastion("bastion", azure({ jumpBox: true, jumpBoxSubnetId: "app-z1", jumpBoxSecurityGroupId: "asg", sshPublicKey: KEY, sshAllowedCidrs: ["192.168.10.0/24"] }));
        assert.strictEqual(onAzure.jumpBox, true);
        assert.strictEqual(onAzure.jumpBoxZone, "1");
    });

    it("allows a regional Azure Bastion anywhere, and a zone-redundant one only where Azure offers it", () => {
        assert.deepStrictEqual(planBastion("bastion", azure({ zones: [], location: "germanywestcentral" })).zones, []);
        assert.deepStrictEqual(planBastion("bastion", azure({ location: "westeurope" })).zones, ["1", "2", "3"]);
    });

    it("recognises AzureBastionSubnet ids in any letter case and nothing else", () => {
        assert.ok(isAzureBastionSubnetId(BASTION_SUBNET));
        assert.ok(isAzureBastionSubnetId(BASTION_SUBNET.replace("AzureBastionSubnet", "azurebastionsubnet")));
        assert.ok(!isAzureBastionSubnetId(BASTION_SUBNET.replace("AzureBastionSubnet", "app-z1")));
        assert.ok(!isAzureBastionSubnetId(`${BASTION_SUBNET}-2`));
    });

    it("rejects every /0 SSH range, however it is written", () => {
        fc.assert(fc.property(
            fc.oneof(fc.ipV4().map((ip) => `${ip}/0`), fc.ipV6().map((ip) => `${ip}/0`)),
            (cidr) => {
                assert.match(problemsOf(aws({ sshAllowedCidrs: [cidr], sshPublicKey: KEY })), /sshAllowedCidrs\[0\]: .* opens SSH to the whole internet \(a \/0 range\)/);
            },
        ), { numRuns: 50 });
    });

    describe("rejects bad input with the arg, the value and the rule", () => {
        const cases: [string, BastionPlanInput, RegExp][] = [
            ["an unknown cloud", aws({ cloud: "gcp" }), /cloud: "gcp" is not a supported cloud: use one of aws, azure/],
            ["jump box SSH ranges the app subnet's NSG does not admit", azure({ jumpBox: true, jumpBoxSubnetId: "app-z1", sshPublicKey: KEY, sshAllowedCidrs: ["192.168.10.0/24"] }),
                /jumpBoxSecurityGroupId: undefined is required with sshAllowedCidrs on azure: the app subnet's NSG admits those ranges only to the jump box's application security group/],
            ["a jump box group on aws", aws({ jumpBoxSecurityGroupId: "asg" }), /jumpBoxSecurityGroupId: "set" is azure-only/],
            ["0.0.0.0/0 for SSH", aws({ sshAllowedCidrs: ["0.0.0.0/0"], sshPublicKey: KEY }), /sshAllowedCidrs\[0\]: "0.0.0.0\/0" opens SSH to the whole internet \(a \/0 range\)/],
            ["::/0 for SSH", aws({ sshAllowedCidrs: ["10.1.0.0/16", "::/0"], sshPublicKey: KEY }), /sshAllowedCidrs\[1\]: "::\/0" opens SSH to the whole internet/],
            ["a /0 with host bits for SSH", aws({ sshAllowedCidrs: ["10.0.0.0/0"], sshPublicKey: KEY }), /sshAllowedCidrs\[0\]: "10.0.0.0\/0" opens SSH to the whole internet/],
            ["a malformed SSH range", aws({ sshAllowedCidrs: ["203.0.113/24"], sshPublicKey: KEY }), /sshAllowedCidrs\[0\]: "203.0.113\/24" is not an IPv4 CIDR of the form a.b.c.d\/n/],
            ["an SSH address without a prefix", aws({ sshAllowedCidrs: ["203.0.113.9"], sshPublicKey: KEY }), /sshAllowedCidrs\[0\]: "203.0.113.9" is not an IPv4 CIDR/],
            ["an SSH range with host bits", aws({ sshAllowedCidrs: ["203.0.113.9/24"], sshPublicKey: KEY }), /sshAllowedCidrs\[0\]: "203.0.113.9\/24" has host bits set: did you mean 203.0.113.0\/24\?/],
            ["an SSH range with an octet above 255", aws({ sshAllowedCidrs: ["203.0.300.0/24"], sshPublicKey: KEY }), /sshAllowedCidrs\[0\]: "203.0.300.0\/24" has an octet above 255/],
            ["an IPv6 SSH range", aws({ sshAllowedCidrs: ["2001:db8::/32"], sshPublicKey: KEY }), /sshAllowedCidrs\[0\]: "2001:db8::\/32" is an IPv6 range, but the network is IPv4-only/],
            ["a repeated SSH range", aws({ sshAllowedCidrs: ["203.0.113.0/24", "203.0.113.0/24"], sshPublicKey: KEY }), /sshAllowedCidrs: \["203.0.113.0\/24","203.0.113.0\/24"\] lists 203.0.113.0\/24 more than once/],
            ["more SSH ranges than a security group holds",
                aws({ sshAllowedCidrs: Array.from({ length: MAX_SSH_SOURCES + 1 }, (_, i) => `10.${i}.0.0/16`), sshPublicKey: KEY }),
                /sshAllowedCidrs: 61 ranges exceed the 60 inbound rules a security group allows/],
            ["a malformed network range", aws({ networkCidr: "10.10.0.0" }), /network.cidrBlock: "10.10.0.0" is not an IPv4 CIDR/],
            ["a public network range", aws({ networkCidr: "8.8.0.0/16" }), /network.cidrBlock: "8.8.0.0\/16" is not private address space/],
            ["an unknown size", aws({ size: "huge" }), /size: "huge" is not allowed: use one of small, medium, large/],
            ["a private key instead of a public key", aws({ sshPublicKey: "-----BEGIN OPENSSH PRIVATE KEY-----" }), /sshPublicKey: "-----BEGIN OPENSSH PRIVATE KEY-----" is not an OpenSSH public key of type ssh-rsa or ssh-ed25519/],
            ["an ECDSA key, which EC2 key pairs do not take", aws({ sshPublicKey: "ecdsa-sha2-nistp256 AAAAE2VjZHNh" }), /sshPublicKey: "ecdsa-sha2-nistp256 AAAAE2VjZHNh" is not an OpenSSH public key/],
            ["one subnet on AWS", aws({ subnetIds: ["subnet-a"] }), /subnets: 1 subnet given, but aws needs at least 2: the public subnets of 2 or more zones/],
            ["SSH ranges without a key on AWS", aws({ sshAllowedCidrs: ["203.0.113.0/24"] }), /sshPublicKey: undefined is required when sshAllowedCidrs is set/],
            ["a jump box on AWS", aws({ jumpBox: true }), /jumpBox: true is azure-only: on aws the bastion instance itself is the jump host/],
            ["two subnets on Azure", azure({ subnetIds: [BASTION_SUBNET, BASTION_SUBNET] }), /subnets: 2 subnets given, but azure takes exactly one: the AzureBastionSubnet/],
            ["a subnet other than AzureBastionSubnet on Azure", azure({ subnetIds: [BASTION_SUBNET.replace("AzureBastionSubnet", "public")] }),
                /subnets\[0\].id: ".*\/subnets\/public" is not an AzureBastionSubnet: Azure Bastion can only be deployed to a subnet named AzureBastionSubnet/],
            ["a jump box without a key", azure({ jumpBox: true, jumpBoxSubnetId: "app-z1" }), /sshPublicKey: undefined is required with jumpBox: the jump box accepts only key-based SSH logins/],
            ["a jump box without a subnet", azure({ jumpBox: true, sshPublicKey: KEY }), /jumpBoxSubnet: undefined is required with jumpBox/],
            ["a jump box in a zone Azure does not have", azure({ jumpBox: true, sshPublicKey: KEY, jumpBoxSubnetId: "app", jumpBoxZone: "4" }), /jumpBoxSubnet.zone: "4" is not allowed: use one of 1, 2, 3/],
            ["SSH ranges on Azure without a jump box", azure({ sshAllowedCidrs: ["203.0.113.0/24"] }), /sshAllowedCidrs: \["203.0.113.0\/24"\] apply on azure only to the jump box/],
            ["an unknown Azure zone", azure({ zones: ["1", "4"] }), /zones: \["1","4"\] must be distinct Azure zones: use a subset of 1, 2, 3, or \[\] for a regional Bastion/],
            ["a single-zone Bastion", azure({ zones: ["2"] }), /zones: \["2"\] name a single zone: a zonal Bastion fails with its zone/],
            ["zones where zone-redundant Bastion is not offered", azure({ location: "germanywestcentral" }),
                /location: "germanywestcentral" does not offer zone-redundant Azure Bastion: use one of .*westeurope.*, or set zones to \[\]/],
        ];
        for (const [what, input, expected] of cases) {
            it(`rejects ${what}`, () => assert.match(problemsOf(input), expected));
        }
    });

    it("reports every problem at once", () => {
        const message = problemsOf(aws({ subnetIds: ["subnet-a"], sshAllowedCidrs: ["0.0.0.0/0", "bad"], size: "huge", networkCidr: "nope" }));
        for (const arg of ["subnets", "sshAllowedCidrs[0]", "sshAllowedCidrs[1]", "size", "network.cidrBlock", "sshPublicKey"]) {
            assert.ok(message.includes(`\n - ${arg}: `), `${arg} missing from:\n${message}`);
        }
    });
});
