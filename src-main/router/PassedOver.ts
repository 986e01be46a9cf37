/**
 * A target passed over before anything was sent to it, for a reason recorded as its attempt's
 * (a skip, like a disabled provider's), and the call goes on to the next target: a balanced
 * target whose rate window is used up while another could take the call (Router), or a provider
 * turned off or removed while the call waited for its rate limit (GatewayControls).
 */
export class PassedOver extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.name = 'PassedOver';
    this.reason = reason;
  }
}
