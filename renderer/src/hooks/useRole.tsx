// Renderer: the signed-in member's role, given once by the workspace, so a component can leave out what the role
// cannot do (the dispatcher refuses it anyway, in words). Without a provider, or in a vault from before members (no
// role), everything is offered, as before members existed.
import { createContext, useContext, type ReactNode } from 'react'
import { describeRefusal, roleCan, type Capability, type Role } from '../../../shared/members/roles'

const RoleContext = createContext<Role | null>(null)

export function RoleProvider({ role, children }: { role: Role | null; children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>
}

/** True when the signed-in member's role may do `capability` (or when there is no role to ask). */
export function useCan(capability: Capability): boolean {
  const role = useContext(RoleContext)
  return role === null || roleCan(role, capability)
}

/** Why the signed-in member cannot do `capability` ("Your role (Viewer) cannot edit dossiers. Ask an admin."), or null. */
export function useRefusal(capability: Capability): string | null {
  const role = useContext(RoleContext)
  return role === null || roleCan(role, capability) ? null : describeRefusal(role, capability)
}
