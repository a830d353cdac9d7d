"""The interchange form of a result as one `%` template: the 25 result strings in the order
`classify_values` gives them. Every value comes from a fixed vocabulary of level names, digits, commas and
stars, so none needs escaping."""

_SIDE_TEMPLATE = (
    '{"upperExtremity":"%s","lowerExtremity":"%s","lightTouch":"%s","pinPrick":"%s","motor":"%s"}'
)
JSON_TEMPLATE = (
    '{"classification":{"neurologicalLevels":{"sensoryRight":"%s","sensoryLeft":"%s","motorRight":"%s",'
    '"motorLeft":"%s"},"neurologicalLevelOfInjury":"%s","injuryComplete":"%s","ASIAImpairmentScale":"%s",'
    '"zoneOfPartialPreservations":{"sensoryRight":"%s","sensoryLeft":"%s","motorRight":"%s","motorLeft":"%s"}},'
    '"totals":{"left":' + _SIDE_TEMPLATE + ',"right":' + _SIDE_TEMPLATE + ',"upperExtremity":"%s",'
    '"lowerExtremity":"%s","lightTouch":"%s","pinPrick":"%s"}}'
)
