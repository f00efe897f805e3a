{{- /*
The constructs of the upstream templates/{scheduler,node,lvmd}/daemonset.yaml (chart 17.1.0) that write the pod
placement and the node pods' annotations. Not the upstream files: only those fields, written the same way.
*/ -}}
{{- range $component := list "scheduler" "node" "lvmd" }}
{{- $c := index $.Values $component }}
---
apiVersion: v1
kind: Pod
metadata:
  name: {{ $component }}
  {{- if eq $component "node" }}
  {{- $annotations := merge (dict) ($c.podAnnotations | default dict) }}
  {{- if and $c.metrics.enabled $c.metrics.annotations }}
  {{- $annotations = merge $annotations $c.metrics.annotations }}
  {{- end }}
  {{- with $annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- end }}
spec:
  {{- with $c.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  containers:
    - name: main
      image: test
      {{- with index $.Values.resources (ternary "topolvm_scheduler" (ternary "topolvm_node" "lvmd" (eq $component "node")) (eq $component "scheduler")) }}
      resources: {{ toYaml . | nindent 8 }}
      {{- end }}
  {{- with $c.affinity }}
  affinity: {{ toYaml . | nindent 4 }}
  {{- end }}
  {{- with $c.tolerations }}
  tolerations: {{ toYaml . | nindent 4 }}
  {{- end }}
  {{- with $c.nodeSelector }}
  nodeSelector: {{ toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
