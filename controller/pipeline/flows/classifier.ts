/**
 * Classifier: a known port's untagged frames get their network and tenant registers. Frames with an
 * 802.1Q header match nothing here and drop: OVS does not apply an access port's `tag` to frames
 * handled by explicit flows, so a container's own VLAN tag would otherwise reach the pipeline.
 */
import type { Flow } from "../../../ovs/openflow/flow.js";
import type { Port } from "../model.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { flow, goto, setReg } from "./build.js";

export function classifierPortFlow(port: Port): Flow {
  return flow("Classifier", PRIORITY.normal, PURPOSE.classifierPort, { inPort: port.ofport, untagged: true }, [
    setReg("srcNetwork", port.network.id),
    setReg("tenant", port.network.tenantId),
    goto("SpoofGuard"),
  ]);
}
