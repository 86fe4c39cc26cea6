/**
 * Rotation of the MSK SASL/SCRAM client credentials, as plain data.
 *
 * Secrets Manager rotates a secret only through a rotation Lambda, and AWS publishes none for MSK;
 * more to the point, the clients read the password from a Kubernetes Secret written by `pulumi up`,
 * so a password changed behind the program's back would lock every client out until the next up.
 * The credentials are rotated by the program instead, with Secrets Manager's documented
 * alternating-users strategy (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html):
 * two users, `a` and `b`, each in its own `AmazonMSK_` secret associated with the cluster.
 * Time is cut into periods of `SCRAM_ROTATION_DAYS`; clients use `a` in even periods and `b` in
 * odd ones, and each user's password is regenerated at the start of the period in which it goes
 * idle. So the user clients switch to was generated a whole period earlier (MSK takes up to
 * 10 minutes to pick up a changed secret:
 * https://docs.aws.amazon.com/msk/latest/developerguide/msk-password-users.html), and the user
 * they leave keeps working until their pods have rolled. A rotation happens at the first
 * `pulumi up` of a new period; a stack not updated keeps its credentials.
 */

/** Days each user stays the active one. */
export const SCRAM_ROTATION_DAYS = 30;

const DAY_MS = 86_400_000;

/** One of the two SCRAM users. */
export interface ScramSlot {
    readonly label: "a" | "b";
    /** The period in which the password was last generated: the password's keeper. */
    readonly generation: number;
    /** Whether clients use this user in the current period. */
    readonly active: boolean;
}

/** The two users at `nowMs` (milliseconds since the epoch). */
export function scramSlots(nowMs: number, days: number = SCRAM_ROTATION_DAYS): [ScramSlot, ScramSlot] {
    const period = Math.floor(nowMs / (days * DAY_MS));
    const even = period % 2 === 0;
    return [
        // `a` is active in even periods and regenerated when it goes idle, at the start of each odd one.
        { label: "a", generation: even ? period - 1 : period, active: even },
        { label: "b", generation: even ? period : period - 1, active: !even },
    ];
}
