package org.coopvm.rings.hypercall;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HypercallFlyweightTest
{
    @Test
    void requestEncodesAndDecodesAtTheDescriptorsOffsets()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final HypercallRequest request = new HypercallRequest().wrap(buffer, 0, 64);
        request.callId(77).vcpu(1).cmd(EventChannelOpDescriptor.EVTCHNOP_SEND).argInt(EventChannelOpDescriptor.PORT_OFFSET, 5);

        assertThat(buffer.getLong(HypercallDescriptor.CALL_ID_OFFSET)).isEqualTo(77);
        assertThat(buffer.getInt(HypercallDescriptor.VCPU_OFFSET)).isEqualTo(1);
        assertThat(buffer.getInt(HypercallDescriptor.CMD_OFFSET)).isEqualTo(4);
        assertThat(buffer.getInt(HypercallDescriptor.ARGS_OFFSET)).isEqualTo(5);

        final HypercallRequest decoded = new HypercallRequest().wrap(buffer, 0, HypercallRequest.messageLength(4));
        assertThat(decoded.isHeaderComplete()).isTrue();
        assertThat(decoded.hasArgs(4)).isTrue();
        assertThat(decoded.hasArgs(5)).isFalse();
        assertThat(decoded.argInt(0)).isEqualTo(5);
        assertThatThrownBy(() -> decoded.argInt(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(new HypercallRequest().wrap(buffer, 0, 15).isHeaderComplete()).isFalse();
    }

    @Test
    void responseCarriesNegativeErrnoAndOutput()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        new HypercallResponse().wrap(buffer, 0, 32).callId(9).result(-Errno.EINVAL).outInt(4, 3);
        final HypercallResponse decoded = new HypercallResponse().wrap(buffer, 0, 32);
        assertThat(decoded.callId()).isEqualTo(9);
        assertThat(decoded.result()).isEqualTo(-22);
        assertThat(decoded.outInt(4)).isEqualTo(3);
        assertThat(Errno.name((int)decoded.result())).isEqualTo("EINVAL");
        assertThatThrownBy(() -> decoded.outLong(12)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
