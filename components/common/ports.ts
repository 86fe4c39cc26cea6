/** Port numbers and ranges as clouds write them in firewall rules (`443`, `8500-8599`). */

const PORT_OR_RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/** Whether `value` is one port (0-65535) or an ascending range `from-to` of them; `*` is neither. */
export function isPortRange(value: string): boolean {
    const match = PORT_OR_RANGE.exec(value);
    if (!match) return false;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    return from <= to && to <= 65535;
}
