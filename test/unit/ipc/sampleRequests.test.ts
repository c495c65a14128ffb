// Unit (Node): the table of sample requests (test/helpers/sampleRequests.ts) covers exactly the channels of the
// contract, and each sample passes its channel's request schema, so tests that call every channel call each for real.
import { describe, expect, it } from 'vitest'
import { CHANNEL_NAMES, channels, type ChannelName } from '../../../shared/ipc/contract'
import { SAMPLE_REQUESTS } from '../../helpers/sampleRequests'

describe('sample requests', () => {
  it('has one entry per channel of the contract, and none for a channel that does not exist', () => {
    expect(Object.keys(SAMPLE_REQUESTS).sort()).toEqual([...CHANNEL_NAMES].sort())
  })

  it('gives every channel a request its schema accepts', () => {
    const refused = CHANNEL_NAMES.filter((name: ChannelName) => !channels[name].request.safeParse(SAMPLE_REQUESTS[name]).success)
    expect(refused).toEqual([])
  })
})
